//! Rhai expressions: the sandboxed engine, compilation once at load, and running them.

mod checker;
mod context;
mod hints;
pub(crate) mod host;
mod instant;
mod limits;
mod logic;
mod names;
mod native;
mod operations;
mod types;

use std::collections::HashSet;

use rhai::{ASTNode, Dynamic, EvalAltResult, ImmutableString, OptimizationLevel, Position, Scope};

pub(crate) use context::{set_context, update_context, Context};
pub use host::{Gives, HostFn, HostFunction};
pub use limits::Limits;
pub(crate) use logic::{Part, Truth};
pub(crate) use native::Facts;
pub(crate) use types::FieldKind;

use crate::deal::Checked;
use crate::support::suggest;
use names::Walk;

/// The functions the engine adds for rules, with how many arguments each takes.
pub(crate) const ENGINE_FUNCTIONS: &[(&str, usize)] = &[
    ("done", 1),
    ("score", 1),
    ("band", 1),
    ("has", 1),
    ("today", 0),
    ("days_since", 1),
    ("days_until", 1),
    ("days_in_stage", 0),
    ("in_stage", 1),
];

/// The names of the functions every sandbox has (Rhai's standard ones and the engine's), listed
/// once per process.
fn known_functions() -> &'static HashSet<String> {
    static KNOWN: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut engine = rhai::Engine::new_raw();
        let packages = rhai::packages::StandardPackage::new();
        engine.register_global_module(rhai::packages::Package::as_shared_module(&packages));
        context::register(&mut engine);
        engine
            .gen_fn_signatures(true)
            .iter()
            .filter_map(|signature| signature.split('(').next())
            .map(|name| name.trim_start_matches("get$").trim_start_matches("set$"))
            .map(str::to_owned)
            .collect()
    })
}

/// Whether `name` may name a host function: an identifier that is not already a function of
/// rules (the engine's or Rhai's).
pub(crate) fn host_name_problem(name: &str) -> Option<String> {
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !identifier {
        return Some(format!(
            "host function `{name}`: a name is letters, digits and `_`"
        ));
    }
    if ENGINE_FUNCTIONS.iter().any(|(n, _)| *n == name) {
        return Some(format!(
            "host function `{name}`: the engine already has a function of that name"
        ));
    }
    if known_functions().contains(name) {
        return Some(format!(
            "host function `{name}`: Rhai already has a function of that name"
        ));
    }
    None
}

/// The sandboxed Rhai engine of one playbook.
pub(crate) struct Sandbox {
    engine: rhai::Engine,
    known_functions: &'static HashSet<String>,
    /// The host's functions, by name, with how many arguments each takes.
    host_functions: Vec<(String, usize)>,
    /// What the host's functions give, where declared.
    host_gives: Vec<(String, host::Gives)>,
}

/// The ids a playbook declares, for checking an expression's names.
pub(crate) struct Names<'a> {
    pub fields: &'a crate::support::ids::IdIndex,
    pub activities: &'a crate::support::ids::IdIndex,
    pub cards: &'a crate::support::ids::IdIndex,
    pub stages: &'a crate::support::ids::IdIndex,
    /// What each field holds, by field index, for typing rules.
    pub kinds: &'a [FieldKind],
    /// Each scorecard's band ids, by scorecard index.
    pub bands: &'a [Vec<String>],
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
    /// The expression as one part: what runs when the deal holds every field it needs.
    pub whole: Part,
    /// Its `&&`, `||` and `!` around its parts: what decides it when a field is missing; `None`
    /// when the whole is its only part.
    pub logic: Option<logic::Logic>,
    /// Indices of the fields it reads, in first-use order.
    pub fields: Vec<usize>,
    /// Indices of the scorecards whose `score` or `band` it calls.
    pub cards: Vec<usize>,
    /// Indices of the activities whose `done` it calls.
    pub activities: Vec<usize>,
}

impl Script {
    /// Decides the rule with `run`, which gives a part's truth (missing when it needs a field the
    /// deal lacks): as a whole first, then, when the whole is missing, part by part in
    /// three-valued logic.
    pub(crate) fn decide(&self, run: &mut dyn FnMut(&Part) -> Truth) -> Truth {
        match (run(&self.whole), &self.logic) {
            (Truth::Missing(_), Some(logic)) => logic.eval(run),
            (decided, _) => decided,
        }
    }
}

impl Sandbox {
    /// A Rhai engine with no I/O, no clock, strict variables, the given limits, and the host's
    /// functions.
    pub(crate) fn new(limits: Limits, host: &[crate::script::host::HostFunction]) -> Sandbox {
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
        context::register(&mut engine);
        let known_functions = known_functions();
        for function in host {
            function.register(&mut engine);
        }
        Sandbox {
            engine,
            known_functions,
            host_functions: host.iter().map(|f| (f.name.clone(), f.arity)).collect(),
            host_gives: host
                .iter()
                .filter_map(|f| Some((f.name.clone(), f.gives?)))
                .collect(),
        }
    }

    /// Compiles `source`, checking every name it uses against the playbook.
    pub(crate) fn compile(
        &self,
        source: &str,
        names: &Names<'_>,
    ) -> Result<Script, Vec<ScriptProblem>> {
        let (ast, undefined) = self.parse(source, names)?;
        let mut walk = Walk {
            names,
            known: self.known_functions,
            host: &self.host_functions,
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
        let mut checker = checker::Checker::new(names, source, &self.host_gives);
        match ast.statements() {
            [rhai::Stmt::Expr(expr)] => checker.condition(expr),
            [rhai::Stmt::FnCall(call, position)] => checker.condition_call(call, *position),
            _ => {}
        }
        let mut problems = undefined;
        problems.extend(walk.problems);
        problems.extend(checker.problems);
        if !problems.is_empty() {
            problems.sort_by_key(|p| (p.line, p.column));
            return Err(problems);
        }
        Ok(Script {
            source: source.to_owned(),
            fields: walk.fields,
            cards: walk.cards,
            activities: walk.activities,
            logic: logic::Logic::of(&ast, names),
            whole: Part::whole(ast, names),
        })
    }

    /// Parses `source`: its syntax tree and the names it uses that are no declared field, each
    /// reported once (Rhai stops at the first; each is then declared in turn so the next is
    /// found). A syntax error ends the parse, reported alone when it comes first; after an
    /// unknown name it is left out, as the name may well be its cause (`not budget > 1`).
    fn parse(
        &self,
        source: &str,
        names: &Names<'_>,
    ) -> Result<(rhai::AST, Vec<ScriptProblem>), Vec<ScriptProblem>> {
        const MOST_UNKNOWN_NAMES: usize = 32;
        let mut scope = Scope::new();
        for name in names.fields.keys() {
            scope.push_dynamic(name.as_str(), Dynamic::UNIT);
        }
        let mut undefined: Vec<ScriptProblem> = Vec::new();
        loop {
            let error = match self.engine.compile_expression_with_scope(&scope, source) {
                Ok(ast) => return Ok((ast, undefined)),
                Err(error) => error,
            };
            match error.err_type() {
                rhai::ParseErrorType::VariableUndefined(name)
                    if undefined.len() < MOST_UNKNOWN_NAMES && !scope.contains(name) =>
                {
                    undefined.push(syntax_problem(&error, names, source));
                    scope.push_dynamic(name.clone(), Dynamic::UNIT);
                }
                _ if undefined.is_empty() => {
                    return Err(vec![syntax_problem(&error, names, source)])
                }
                _ => return Err(undefined),
            }
        }
    }

    /// Runs a part natively: `Some(held)` when the native path can decide, `None` when Rhai must
    /// run it.
    pub(crate) fn run_native(part: &Part, facts: &Facts<'_>) -> Option<bool> {
        part.native.as_ref().and_then(|native| native.holds(facts))
    }

    /// Runs a part in Rhai: `Ok(true/false)`, or a one-line error.
    pub(crate) fn run_rhai(&self, part: &Part, bindings: &mut Bindings) -> Result<bool, String> {
        let value: Dynamic = self
            .engine
            .eval_ast_with_scope(&mut bindings.0, &part.ast)
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

/// A deal's field values as Rhai reads them, made once per evaluation that needs Rhai.
pub(crate) struct Bindings(Scope<'static>);

impl Bindings {
    /// The values, each under its field's id; a field the deal lacks is Rhai's `()`, which only
    /// `has(..)` and `??` read (a part that needs it does not run).
    pub(crate) fn new<'v>(
        values: impl Iterator<Item = (&'v str, Option<&'v Checked<'v>>)>,
    ) -> Bindings {
        let mut scope = Scope::new();
        for (id, value) in values {
            scope.push_dynamic(id.to_owned(), value.map_or(Dynamic::UNIT, to_dynamic));
        }
        Bindings(scope)
    }
}

/// A Rhai value for a checked field value.
pub(crate) fn to_dynamic(value: &Checked<'_>) -> Dynamic {
    match value {
        Checked::Bool(b) => Dynamic::from_bool(*b),
        Checked::Integer(i) => Dynamic::from_int(*i),
        Checked::Number(n) => Dynamic::from_float(*n),
        Checked::Text(t) => Dynamic::from(ImmutableString::from(*t)),
        Checked::Date(at, _) => Dynamic::from(instant::Instant(*at)),
        Checked::List(items) => Dynamic::from_array(
            items
                .iter()
                .filter_map(serde_json::Value::as_str)
                .map(|t| Dynamic::from(ImmutableString::from(t)))
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

fn syntax_problem(error: &rhai::ParseError, names: &Names<'_>, source: &str) -> ScriptProblem {
    let (line, column) = line_column(error.position());
    match error.err_type() {
        rhai::ParseErrorType::VariableUndefined(name) => ScriptProblem {
            code: "unknown-name",
            message: format!("`{name}` is not a declared field"),
            help: hints::undefined(name, names, source, (line, column))
                .or_else(|| suggest::did_you_mean(name, names.fields.keys().map(String::as_str)))
                .or_else(|| Some("declare it under `fields:`".to_owned())),
            line,
            column,
        },
        other => {
            let message = lowercase_first(&other.to_string());
            ScriptProblem {
                code: "rhai-syntax",
                help: hints::syntax(&message, source),
                message: format!("rhai syntax error: {message}"),
                line,
                column,
            }
        }
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
