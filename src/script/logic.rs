//! Three-valued logic over missing facts: a rule as its `&&`, `||` and `!` around parts, each
//! part true, false or missing, joined as SQL's NULL and Kleene's logic join them.
//!
//! A part (a comparison, a call, anything that is not `&&`, `||` or `!`) is missing when it reads
//! a field the deal lacks; `has(field)` and the field before `??` do not count as reading it.
//! `true || missing` is true, `false && missing` is false, `!missing` is missing; a rule whose
//! result is missing names exactly the fields of the missing parts that left it undecided.

use rhai::{Expr, Module, Stmt, AST};

use super::native::{self, Native};
use super::Names;

/// What a rule, or one part of it, gave.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Truth {
    /// It ran and gave true or false.
    Holds(bool),
    /// It cannot be decided without these fields (indices, in the order the rule reads them).
    Missing(Vec<usize>),
    /// It failed, or gave something that is not true or false.
    Failed(String),
}

/// A rule as its connectives around parts.
#[derive(Debug)]
pub(crate) enum Logic {
    /// `a && b && ...`
    All(Vec<Logic>),
    /// `a || b || ...`
    Any(Vec<Logic>),
    /// `!a`
    Not(Box<Logic>),
    /// Anything else: run as one expression.
    Part(Part),
}

/// One expression run as a whole: in Rhai, or natively when it is simple enough.
#[derive(Debug)]
pub(crate) struct Part {
    pub(super) ast: AST,
    pub(super) native: Option<Native>,
    /// The fields it cannot run without (every field it reads, except in `has(..)` and before
    /// `??`), by index, in first-use order.
    pub strict: Vec<usize>,
}

impl Part {
    /// The whole of a compiled expression as one part.
    pub(super) fn whole(ast: AST, names: &Names<'_>) -> Part {
        let mut strict = Vec::new();
        for statement in ast.statements() {
            match statement {
                Stmt::Expr(expr) => strict_fields(expr, names, &mut strict),
                Stmt::FnCall(call, _) => call_fields(call, names, &mut strict),
                _ => all_fields_of_statement(statement, names, &mut strict),
            }
        }
        Part {
            native: native::translate(&ast, names),
            ast,
            strict,
        }
    }

    fn of(expr: &Expr, names: &Names<'_>) -> Part {
        let mut strict = Vec::new();
        strict_fields(expr, names, &mut strict);
        Part {
            ast: AST::new([Stmt::Expr(Box::new(expr.clone()))], Module::new()),
            native: native::expr_of(expr, names),
            strict,
        }
    }

    /// The fields this part cannot run without that `present` says are absent.
    pub(crate) fn missing(&self, present: impl Fn(usize) -> bool) -> Vec<usize> {
        self.strict
            .iter()
            .copied()
            .filter(|&f| !present(f))
            .collect()
    }
}

impl Logic {
    /// The connectives of a compiled expression around its parts; `None` when its top is no
    /// connective, so the whole expression is its only part.
    pub(super) fn of(ast: &AST, names: &Names<'_>) -> Option<Logic> {
        match ast.statements() {
            [Stmt::Expr(expr)] if is_connective(expr) => Some(logic_of(expr, names)),
            [Stmt::FnCall(call, position)] if call_is_connective(call) => {
                Some(logic_of(&Expr::FnCall(call.clone(), *position), names))
            }
            _ => None,
        }
    }

    /// Joins the parts' truths, deciding each part with `part`, left to right: a decisive part
    /// (false for `&&`, true for `||`) or a failure ends the walk, as Rhai's `&&` and `||` do.
    pub(crate) fn eval(&self, part: &mut dyn FnMut(&Part) -> Truth) -> Truth {
        match self {
            Logic::Part(p) => part(p),
            Logic::Not(inner) => match inner.eval(part) {
                Truth::Holds(b) => Truth::Holds(!b),
                other => other,
            },
            Logic::All(parts) => join(parts, part, false),
            Logic::Any(parts) => join(parts, part, true),
        }
    }
}

/// `&&` (decisive `false`) or `||` (decisive `true`) in three values.
fn join(parts: &[Logic], part: &mut dyn FnMut(&Part) -> Truth, decisive: bool) -> Truth {
    let mut missing: Vec<usize> = Vec::new();
    let mut undecided = false;
    for each in parts {
        match each.eval(part) {
            Truth::Holds(b) if b == decisive => return Truth::Holds(decisive),
            Truth::Holds(_) => {}
            Truth::Missing(fields) => {
                undecided = true;
                for field in fields {
                    if !missing.contains(&field) {
                        missing.push(field);
                    }
                }
            }
            failed @ Truth::Failed(_) => return failed,
        }
    }
    if undecided {
        Truth::Missing(missing)
    } else {
        Truth::Holds(!decisive)
    }
}

/// `&&`, `||`, `!`, `|` or `&`: what three-valued logic takes apart.
fn is_connective(expr: &Expr) -> bool {
    match expr {
        Expr::And(..) | Expr::Or(..) => true,
        Expr::FnCall(call, _) => call_is_connective(call),
        _ => false,
    }
}

fn call_is_connective(call: &rhai::FnCallExpr) -> bool {
    call.op_token.is_some()
        && matches!(
            (call.name.as_str(), call.args.len()),
            ("!", 1) | ("|" | "&", 2)
        )
}

fn logic_of(expr: &Expr, names: &Names<'_>) -> Logic {
    match expr {
        Expr::And(parts, _) => Logic::All(parts.iter().map(|p| logic_of(p, names)).collect()),
        Expr::Or(parts, _) => Logic::Any(parts.iter().map(|p| logic_of(p, names)).collect()),
        Expr::FnCall(call, _) if call_is_connective(call) => {
            let mut parts: Vec<Logic> = call.args.iter().map(|p| logic_of(p, names)).collect();
            match call.name.as_str() {
                // `|` and `&` (Rhai's or and and without short cut) join conditions as `||`
                // and `&&` do.
                "|" => Logic::Any(parts),
                "&" => Logic::All(parts),
                _ => match parts.pop() {
                    Some(inner) => Logic::Not(Box::new(inner)),
                    None => Logic::Part(Part::of(expr, names)),
                },
            }
        }
        other => Logic::Part(Part::of(other, names)),
    }
}

/// The fields an expression cannot be run without.
fn strict_fields(expr: &Expr, names: &Names<'_>, out: &mut Vec<usize>) {
    match expr {
        Expr::Variable(variable, _, _) => push_field(variable.1.as_str(), names, out),
        Expr::FnCall(call, _) | Expr::MethodCall(call, _) => call_fields(call, names, out),
        Expr::Coalesce(parts, _) => {
            let last = parts.len().saturating_sub(1);
            for (i, part) in parts.iter().enumerate() {
                // A field before `??` may be missing: that is what `??` is for.
                if i < last && matches!(part, Expr::Variable(..)) {
                    continue;
                }
                strict_fields(part, names, out);
            }
        }
        Expr::And(parts, _) | Expr::Or(parts, _) => {
            for part in parts.iter() {
                strict_fields(part, names, out);
            }
        }
        Expr::Array(items, _) | Expr::InterpolatedString(items, _) => {
            for item in items.iter() {
                strict_fields(item, names, out);
            }
        }
        Expr::Dot(binary, _, _) | Expr::Index(binary, _, _) => {
            strict_fields(&binary.lhs, names, out);
            strict_fields(&binary.rhs, names, out);
        }
        other => all_fields(other, names, out),
    }
}

fn call_fields(call: &rhai::FnCallExpr, names: &Names<'_>, out: &mut Vec<usize>) {
    // `has(field)` asks whether the field is there: it never needs it.
    if call.name.as_str() == "has" && call.op_token.is_none() {
        return;
    }
    for arg in call.args.iter() {
        strict_fields(arg, names, out);
    }
}

/// Every field an expression this module does not take apart reads.
fn all_fields(expr: &Expr, names: &Names<'_>, out: &mut Vec<usize>) {
    expr.walk(&mut Vec::new(), &mut |nodes: &[rhai::ASTNode]| {
        note_field(nodes, names, out)
    });
}

fn all_fields_of_statement(statement: &Stmt, names: &Names<'_>, out: &mut Vec<usize>) {
    statement.walk(&mut Vec::new(), &mut |nodes: &[rhai::ASTNode]| {
        note_field(nodes, names, out)
    });
}

/// In a walk over an expression: notes the field a variable names, and goes on.
fn note_field(nodes: &[rhai::ASTNode], names: &Names<'_>, out: &mut Vec<usize>) -> bool {
    if let Some(rhai::ASTNode::Expr(Expr::Variable(variable, _, _))) = nodes.last() {
        push_field(variable.1.as_str(), names, out);
    }
    true
}

fn push_field(name: &str, names: &Names<'_>, out: &mut Vec<usize>) {
    if let Some(&index) = names.fields.get(name) {
        if !out.contains(&index) {
            out.push(index);
        }
    }
}

#[cfg(test)]
#[path = "logic_tests.rs"]
pub(super) mod tests;
