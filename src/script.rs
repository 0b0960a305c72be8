//! Rhai expressions: the sandboxed engine, compilation once at load, and running them.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rhai::{
    ASTNode, Dynamic, EvalAltResult, Expr, ImmutableString, OptimizationLevel, Position, Scope,
    AST, INT,
};

use crate::suggest;

/// Limits on what one expression may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Operations one expression may run.
    pub operations: u64,
    /// Depth of nested function calls.
    pub call_levels: usize,
    /// Depth of nested expressions.
    pub expression_depth: usize,
    /// Length of a text, in bytes.
    pub string_size: usize,
    /// Items in a list.
    pub array_size: usize,
    /// Entries in a map.
    pub map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            operations: 100_000,
            call_levels: 16,
            expression_depth: 64,
            string_size: 64 * 1024,
            array_size: 10_000,
            map_size: 10_000,
        }
    }
}

/// The functions the engine adds for rules, with how many arguments each takes.
pub(crate) const ENGINE_FUNCTIONS: &[(&str, usize)] = &[
    ("done", 1),
    ("score", 1),
    ("band", 1),
    ("days_since", 1),
    ("days_in_stage", 0),
    ("in_stage", 1),
];

/// The sandboxed Rhai engine of one playbook.
pub(crate) struct Sandbox {
    engine: rhai::Engine,
    known_functions: HashSet<String>,
}

/// The ids a playbook declares, for checking an expression's names.
pub(crate) struct Names<'a> {
    pub fields: &'a HashMap<String, usize>,
    pub activities: &'a HashMap<String, usize>,
    pub cards: &'a HashMap<String, usize>,
    pub stages: &'a HashMap<String, usize>,
}

/// A problem in an expression, at a 1-based line and column inside it.
#[derive(Debug, Clone)]
pub(crate) struct ScriptProblem {
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
}

/// A compiled expression and what it reads.
#[derive(Debug)]
pub(crate) struct Script {
    pub source: String,
    ast: AST,
    /// Indices of the fields it reads, in first-use order.
    pub fields: Vec<usize>,
    /// Indices of the scorecards whose `score` or `band` it calls.
    pub cards: Vec<usize>,
    /// Indices of the activities whose `done` it calls.
    pub activities: Vec<usize>,
}

/// The facts the engine's functions read while an evaluation runs.
#[derive(Debug, Default)]
pub(crate) struct Context {
    pub at: Option<Timestamp>,
    pub done: HashSet<String>,
    pub scores: HashMap<String, (INT, Option<String>)>,
    pub active: Vec<String>,
    /// When the deal entered the stage a criterion belongs to.
    pub stage_since: Option<Timestamp>,
}

thread_local! {
    static CONTEXT: RefCell<Context> = RefCell::new(Context::default());
}

/// Replaces the context the engine's functions read on this thread.
pub(crate) fn set_context(context: Context) {
    CONTEXT.with(|cell| *cell.borrow_mut() = context);
}

/// Changes the context the engine's functions read on this thread.
pub(crate) fn update_context(change: impl FnOnce(&mut Context)) {
    CONTEXT.with(|cell| change(&mut cell.borrow_mut()));
}

fn read_context<R>(read: impl FnOnce(&Context) -> R) -> R {
    CONTEXT.with(|cell| read(&cell.borrow()))
}

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

fn failure<T>(message: String) -> RhaiResult<T> {
    Err(message.into())
}

fn days_since(date: &str) -> RhaiResult<INT> {
    let date = crate::time::parse_time(date).or_else(failure)?;
    match read_context(|c| c.at) {
        Some(at) => Ok(crate::time::days_between(date, at)),
        None => failure("no evaluation time".into()),
    }
}

fn days_in_stage() -> RhaiResult<INT> {
    match read_context(|c| (c.at, c.stage_since)) {
        (Some(at), Some(since)) => Ok(crate::time::days_between(since, at)),
        _ => failure("the deal's history does not say when it entered this stage".into()),
    }
}

fn score(card: &str) -> RhaiResult<INT> {
    read_context(|c| c.scores.get(card).map(|(total, _)| *total)).map_or_else(
        || failure(format!("scorecard `{card}` has no score here")),
        Ok,
    )
}

fn band(card: &str) -> RhaiResult<ImmutableString> {
    read_context(|c| c.scores.get(card).map(|(_, band)| band.clone())).map_or_else(
        || failure(format!("scorecard `{card}` has no score here")),
        |band| Ok(band.unwrap_or_default().into()),
    )
}

impl Sandbox {
    /// A Rhai engine with no I/O, no clock, strict variables and the given limits.
    pub(crate) fn new(limits: Limits) -> Sandbox {
        let mut engine = rhai::Engine::new_raw();
        let packages = rhai::packages::StandardPackage::new();
        engine.register_global_module(rhai::packages::Package::as_shared_module(&packages));
        engine
            .set_strict_variables(true)
            .set_optimization_level(OptimizationLevel::Simple)
            .set_allow_looping(false)
            .set_allow_anonymous_fn(false)
            .set_allow_statement_expression(false)
            .set_max_operations(limits.operations)
            .set_max_call_levels(limits.call_levels)
            .set_max_expr_depths(limits.expression_depth, limits.expression_depth)
            .set_max_string_size(limits.string_size)
            .set_max_array_size(limits.array_size)
            .set_max_map_size(limits.map_size);
        engine.disable_symbol("eval");
        engine.register_fn("done", |id: &str| read_context(|c| c.done.contains(id)));
        engine.register_fn("score", score);
        engine.register_fn("band", band);
        engine.register_fn("days_since", days_since);
        engine.register_fn("days_in_stage", days_in_stage);
        engine.register_fn("in_stage", |id: &str| {
            read_context(|c| c.active.iter().any(|s| s == id))
        });
        let known_functions = engine
            .gen_fn_signatures(true)
            .iter()
            .filter_map(|signature| signature.split('(').next())
            .map(|name| name.trim_start_matches("get$").trim_start_matches("set$"))
            .map(str::to_owned)
            .collect();
        Sandbox {
            engine,
            known_functions,
        }
    }

    /// Compiles `source`, checking every name it uses against the playbook.
    pub(crate) fn compile(
        &self,
        source: &str,
        names: &Names<'_>,
    ) -> Result<Script, Vec<ScriptProblem>> {
        let mut scope = Scope::new();
        for name in names.fields.keys() {
            scope.push_dynamic(name.as_str(), Dynamic::UNIT);
        }
        let ast = self
            .engine
            .compile_expression_with_scope(&scope, source)
            .map_err(|error| vec![syntax_problem(&error, names)])?;
        let mut walk = Walk {
            names,
            known: &self.known_functions,
            fields: Vec::new(),
            cards: Vec::new(),
            activities: Vec::new(),
            problems: Vec::new(),
        };
        ast.walk(&mut |path: &[ASTNode]| {
            match path.last() {
                Some(ASTNode::Expr(expr)) => walk.visit(expr),
                // A call standing alone is a statement.
                Some(ASTNode::Stmt(rhai::Stmt::FnCall(call, position))) => {
                    walk.call(call, *position, false);
                }
                _ => {}
            }
            true
        });
        if !walk.problems.is_empty() {
            return Err(walk.problems);
        }
        Ok(Script {
            source: source.to_owned(),
            ast,
            fields: walk.fields,
            cards: walk.cards,
            activities: walk.activities,
        })
    }

    /// Runs a compiled expression: `Ok(true/false)`, or a one-line error.
    pub(crate) fn run(&self, script: &Script, scope: &mut Scope<'static>) -> Result<bool, String> {
        let value: Dynamic = self
            .engine
            .eval_ast_with_scope(scope, &script.ast)
            .map_err(|error| describe_error(&error))?;
        value.as_bool().map_err(|kind| {
            format!(
                "the expression gave {} `{value}`, not true or false",
                plain_types(kind)
            )
        })
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sandbox")
    }
}

/// A Rhai value for a checked field value.
pub(crate) fn to_dynamic(value: &crate::field::Checked) -> Dynamic {
    use crate::field::Checked;
    match value {
        Checked::Bool(b) => Dynamic::from_bool(*b),
        Checked::Integer(i) => Dynamic::from_int(*i),
        Checked::Number(n) => Dynamic::from_float(*n),
        Checked::Text(t) => Dynamic::from(ImmutableString::from(t.as_str())),
        Checked::List(items) => Dynamic::from_array(
            items
                .iter()
                .map(|t| Dynamic::from(ImmutableString::from(t.as_str())))
                .collect(),
        ),
    }
}

fn line_column(position: Position) -> (usize, usize) {
    (
        position.line().unwrap_or(1),
        position.position().unwrap_or(1),
    )
}

fn syntax_problem(error: &rhai::ParseError, names: &Names<'_>) -> ScriptProblem {
    let (line, column) = line_column(error.position());
    match error.err_type() {
        rhai::ParseErrorType::VariableUndefined(name) => ScriptProblem {
            code: "unknown-name",
            message: format!("`{name}` is not a declared field"),
            help: suggest::did_you_mean(name, names.fields.keys().map(String::as_str))
                .or_else(|| Some("declare it under `fields:`".to_owned())),
            line,
            column,
        },
        other => ScriptProblem {
            code: "rhai-syntax",
            message: format!("rhai syntax error: {}", lowercase_first(&other.to_string())),
            help: None,
            line,
            column,
        },
    }
}

/// A runtime error as one line, without Rhai's own position suffix.
fn describe_error(error: &EvalAltResult) -> String {
    match error {
        EvalAltResult::ErrorTooManyOperations(_) => {
            "the expression ran too long (operation limit reached)".to_owned()
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            format!(
                "a value grew too large ({} limit reached)",
                what.to_lowercase()
            )
        }
        EvalAltResult::ErrorStackOverflow(_) => "calls nested too deep".to_owned(),
        EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
        other => {
            let text = other.to_string();
            let text = match text.rfind(" (line ") {
                Some(cut) => &text[..cut],
                None => &text,
            };
            plain_types(&lowercase_first(text))
        }
    }
}

/// Rhai's type names as a playbook author says them.
fn plain_types(text: &str) -> String {
    let mut out = text.to_owned();
    for (from, to) in [
        ("i64", "integer"),
        ("f64", "number"),
        ("&str | ImmutableString | String", "text"),
        ("ImmutableString", "text"),
        ("&str", "text"),
        ("string", "text"),
        ("array", "list"),
        ("()", "nothing"),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Walk<'a, 'n> {
    names: &'a Names<'n>,
    known: &'a HashSet<String>,
    fields: Vec<usize>,
    cards: Vec<usize>,
    activities: Vec<usize>,
    problems: Vec<ScriptProblem>,
}

impl Walk<'_, '_> {
    fn visit(&mut self, expr: &Expr) {
        match expr {
            Expr::Variable(variable, _, _) => {
                if let Some(&index) = self.names.fields.get(variable.1.as_str()) {
                    if !self.fields.contains(&index) {
                        self.fields.push(index);
                    }
                }
            }
            Expr::FnCall(call, position) | Expr::MethodCall(call, position) => {
                self.call(call, *position, matches!(expr, Expr::MethodCall(..)));
            }
            _ => {}
        }
    }

    fn call(&mut self, call: &rhai::FnCallExpr, position: Position, method: bool) {
        let name = call.name.as_str();
        let (line, column) = line_column(position);
        if call.op_token.is_some() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return;
        }
        if let Some((_, arity)) = ENGINE_FUNCTIONS.iter().find(|(n, _)| *n == name) {
            if !method && call.args.len() != *arity {
                self.problems.push(ScriptProblem {
                    code: "rhai-call",
                    message: format!(
                        "`{name}` takes {arity} argument{}, not {}",
                        if *arity == 1 { "" } else { "s" },
                        call.args.len()
                    ),
                    help: None,
                    line,
                    column,
                });
                return;
            }
            self.check_id(name, call, line, column);
            return;
        }
        if !self.known.contains(name) {
            let all = self
                .known
                .iter()
                .map(String::as_str)
                .chain(ENGINE_FUNCTIONS.iter().map(|(n, _)| *n));
            self.problems.push(ScriptProblem {
                code: "unknown-function",
                message: format!("`{name}` is not a known function"),
                help: suggest::did_you_mean(name, all),
                line,
                column,
            });
        }
    }

    /// `done`, `score`, `band` and `in_stage` take a quoted id that must exist.
    fn check_id(&mut self, name: &str, call: &rhai::FnCallExpr, line: usize, column: usize) {
        let (what, known): (&str, Vec<&str>) = match name {
            "done" => (
                "an activity",
                self.names.activities.keys().map(String::as_str).collect(),
            ),
            "score" | "band" => (
                "a scorecard",
                self.names.cards.keys().map(String::as_str).collect(),
            ),
            "in_stage" => (
                "a stage",
                self.names.stages.keys().map(String::as_str).collect(),
            ),
            _ => return,
        };
        let Some(Expr::StringConstant(id, _)) = call.args.first() else {
            self.problems.push(ScriptProblem {
                code: "rhai-call",
                message: format!("`{name}` takes {what} id in quotes"),
                help: Some(format!(
                    "write it like {name}(\"{}\")",
                    known.first().unwrap_or(&"id")
                )),
                line,
                column,
            });
            return;
        };
        if !known.contains(&id.as_str()) {
            self.problems.push(ScriptProblem {
                code: "unknown-id",
                message: format!("`{id}` is not {what} of this playbook"),
                help: suggest::did_you_mean(id, known.iter().copied()),
                line,
                column,
            });
        } else if name == "done" {
            if let Some(&activity) = self.names.activities.get(id.as_str()) {
                if !self.activities.contains(&activity) {
                    self.activities.push(activity);
                }
            }
        } else if let Some(&card) = self.names.cards.get(id.as_str()) {
            if matches!(name, "score" | "band") && !self.cards.contains(&card) {
                self.cards.push(card);
            }
        }
    }
}
