//! Checking the names an expression uses: declared fields, known functions, existing ids.

use std::collections::HashSet;

use rhai::{Expr, Position};

use super::{line_column, Names, ScriptProblem, ENGINE_FUNCTIONS};
use crate::support::suggest;

pub(super) struct Walk<'a, 'n> {
    pub names: &'a Names<'n>,
    pub known: &'a HashSet<String>,
    pub host: &'a [(String, usize)],
    pub fields: Vec<usize>,
    pub cards: Vec<usize>,
    pub activities: Vec<usize>,
    pub problems: Vec<ScriptProblem>,
}

impl Walk<'_, '_> {
    pub(super) fn visit(&mut self, expr: &Expr) {
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

    pub(super) fn call(&mut self, call: &rhai::FnCallExpr, position: Position, method: bool) {
        let name = call.name.as_str();
        let (line, column) = line_column(position);
        if call.op_token.is_some() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return;
        }
        if let Some((_, arity)) = self.host.iter().find(|(n, _)| n == name) {
            if !method && call.args.len() != *arity {
                self.problems
                    .push(arity_problem(name, *arity, call.args.len(), line, column));
            }
            return;
        }
        if let Some((_, arity)) = ENGINE_FUNCTIONS.iter().find(|(n, _)| *n == name) {
            if !method && call.args.len() != *arity {
                self.problems
                    .push(arity_problem(name, *arity, call.args.len(), line, column));
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
                .chain(ENGINE_FUNCTIONS.iter().map(|(n, _)| *n))
                .chain(self.host.iter().map(|(n, _)| n.as_str()));
            self.problems.push(ScriptProblem {
                code: "unknown-function",
                message: format!("`{name}` is not a known function"),
                help: suggest::did_you_mean(name, all).or_else(|| {
                    let engine: Vec<&str> = ENGINE_FUNCTIONS.iter().map(|(n, _)| *n).collect();
                    Some(format!(
                        "the engine's functions are {}; Rhai's text and list methods work too",
                        suggest::list_all(&engine)
                    ))
                }),
                line,
                column,
            });
        }
    }

    /// `done`, `score`, `band` and `in_stage` take a quoted id that must exist; `has` takes a
    /// field's name.
    fn check_id(&mut self, name: &str, call: &rhai::FnCallExpr, line: usize, column: usize) {
        let (what, known): (&str, Vec<&str>) = match name {
            "has" => {
                if !matches!(call.args.first(), Some(Expr::Variable(..))) {
                    let quoted = match call.args.first() {
                        Some(Expr::StringConstant(text, _)) => format!("has({text})"),
                        _ => "has(budget)".to_owned(),
                    };
                    self.problems.push(ScriptProblem {
                        code: "rhai-call",
                        message: "`has` takes a field's name, not a value".to_owned(),
                        help: Some(format!("write it like {quoted}, without quotes")),
                        line,
                        column,
                    });
                }
                return;
            }
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
                help: suggest::did_you_mean(id, known.iter().copied()).or_else(|| {
                    Some(if known.is_empty() {
                        format!("the playbook declares no {}", plural(what))
                    } else {
                        format!("the {} are {}", plural(what), suggest::list_all(&known))
                    })
                }),
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

fn arity_problem(
    name: &str,
    arity: usize,
    given: usize,
    line: usize,
    column: usize,
) -> ScriptProblem {
    ScriptProblem {
        code: "rhai-call",
        message: format!(
            "`{name}` takes {arity} argument{}, not {given}",
            if arity == 1 { "" } else { "s" },
        ),
        help: None,
        line,
        column,
    }
}

/// "an activity" -> "activities", "a scorecard" -> "scorecards", "a stage" -> "stages".
fn plural(what: &str) -> String {
    let noun = what.trim_start_matches("an ").trim_start_matches("a ");
    match noun.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{noun}s"),
    }
}
