//! Simple rule expressions run as native code, with exactly Rhai's results.
//!
//! Most rules are a field compared with a literal, joined with `&&`, `||` and `!`, or `x in [..]`.
//! Those are translated once, at load, into a small tree evaluated directly on the deal's values.
//! Whenever the native tree meets a case it does not model exactly (values of unexpected types,
//! arithmetic that overflows or divides by zero, ...), it gives up and the compiled Rhai expression
//! runs instead, so the result (or the error) is always Rhai's. Property tests compare both paths.

use rhai::{Array, Dynamic, Expr, FnCallExpr, ImmutableString, Stmt, AST, FLOAT, INT};

use jiff::Timestamp;

use super::operations::{arithmetic, compare, field, instant, Arithmetic, Compare, Value};
use super::Names;
use crate::deal::Checked;

/// What the native path reads: the deal's checked values, its done activities and active stages,
/// and the scores worked out so far.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts<'v> {
    /// By field index.
    pub values: &'v [Option<Checked<'v>>],
    /// By activity index.
    pub done: &'v [bool],
    /// Active stages, by index.
    pub active: &'v [usize],
    /// By scorecard index: the total and band (`None` below every band), once scored.
    pub scores: &'v [Option<(INT, Option<&'v str>)>],
    /// The evaluation time.
    pub at: Option<Timestamp>,
    /// When the deal entered the stage the rule belongs to.
    pub stage_since: Option<Timestamp>,
    /// The playbook's time zone: where dates written as texts are read and `today()` begins.
    pub zone: &'v jiff::tz::TimeZone,
}

/// A compiled native expression.
#[derive(Debug, Clone)]
pub(crate) enum Native {
    Bool(bool),
    Int(INT),
    Float(FLOAT),
    Text(ImmutableString),
    /// A declared field, by index.
    Field(usize),
    Not(Box<Native>),
    Neg(Box<Native>),
    And(Vec<Native>),
    Or(Vec<Native>),
    /// `a | b` (`true`) or `a & b` (`false`) on conditions: both sides run, as in Rhai.
    Both(bool, Box<Native>, Box<Native>),
    Compare(Compare, Box<Native>, Box<Native>),
    Arithmetic(Arithmetic, Box<Native>, Box<Native>),
    /// `item in [literals]`.
    InList(Box<Native>, Vec<Native>),
    /// `item in field` (a list field, or a text field for a substring).
    InField(Box<Native>, usize),
    /// `done("id")`, by activity index.
    Done(usize),
    /// `in_stage("id")`, by stage index.
    InStage(usize),
    /// `score("card")`, by scorecard index.
    Score(usize),
    /// `band("card")`, by scorecard index.
    Band(usize),
    /// `field.len()` or `len(field)`: characters of a text, items of a list.
    Len(usize),
    /// `days_since(date)`.
    DaysSince(Box<Native>),
    /// `days_in_stage()`.
    DaysInStage,
    /// `days_until(date)`.
    DaysUntil(Box<Native>),
    /// `today()`.
    Today,
    /// `has(field)`, by field index.
    Has(usize),
    /// `a ?? b ?? ...`: the first part that is not a missing field.
    Coalesce(Vec<Native>),
}

/// Translates a compiled expression, or `None` when it uses anything not modelled here.
pub(crate) fn translate(ast: &AST, names: &Names<'_>) -> Option<Native> {
    match ast.statements() {
        [Stmt::Expr(expr)] => expr_of(expr, names),
        [Stmt::FnCall(call, _)] => call_of(call, names),
        _ => None,
    }
}

pub(super) fn expr_of(expr: &Expr, names: &Names<'_>) -> Option<Native> {
    Some(match expr {
        Expr::BoolConstant(b, _) => Native::Bool(*b),
        Expr::IntegerConstant(i, _) => Native::Int(*i),
        Expr::FloatConstant(f, _) => Native::Float(**f),
        Expr::StringConstant(s, _) => Native::Text(s.clone()),
        Expr::Variable(variable, _, _) => Native::Field(*names.fields.get(variable.1.as_str())?),
        Expr::And(parts, _) => Native::And(
            parts
                .iter()
                .map(|p| expr_of(p, names))
                .collect::<Option<_>>()?,
        ),
        Expr::Or(parts, _) => Native::Or(
            parts
                .iter()
                .map(|p| expr_of(p, names))
                .collect::<Option<_>>()?,
        ),
        Expr::FnCall(call, _) => call_of(call, names)?,
        Expr::Coalesce(parts, _) => Native::Coalesce(
            parts
                .iter()
                .map(|p| expr_of(p, names))
                .collect::<Option<_>>()?,
        ),
        // `field.len()`
        Expr::Dot(dot, _, _) => match (&dot.lhs, &dot.rhs) {
            (Expr::Variable(variable, _, _), Expr::MethodCall(call, _))
                if call.name.as_str() == "len" && call.args.is_empty() =>
            {
                Native::Len(*names.fields.get(variable.1.as_str())?)
            }
            _ => return None,
        },
        _ => return None,
    })
}

fn call_of(call: &FnCallExpr, names: &Names<'_>) -> Option<Native> {
    let name = call.name.as_str();
    let args = &call.args;
    let arg = |i: usize| args.get(i).and_then(|a| expr_of(a, names)).map(Box::new);
    let literal = |ids: &crate::support::ids::IdIndex| match args.first() {
        Some(Expr::StringConstant(s, _)) if args.len() == 1 => ids.get(s.as_str()).copied(),
        _ => None,
    };
    if call.op_token.is_some() {
        let compare = match name {
            "==" => Some(Compare::Eq),
            "!=" => Some(Compare::Ne),
            "<" => Some(Compare::Lt),
            "<=" => Some(Compare::Le),
            ">" => Some(Compare::Gt),
            ">=" => Some(Compare::Ge),
            _ => None,
        };
        let arithmetic = match name {
            "+" => Some(Arithmetic::Add),
            "-" => Some(Arithmetic::Sub),
            "*" => Some(Arithmetic::Mul),
            "/" => Some(Arithmetic::Div),
            "%" => Some(Arithmetic::Rem),
            _ => None,
        };
        return match (args.len(), compare, arithmetic, name) {
            (2, Some(op), _, _) => Some(Native::Compare(op, arg(0)?, arg(1)?)),
            (2, _, Some(op), _) => Some(Native::Arithmetic(op, arg(0)?, arg(1)?)),
            (1, _, _, "!") => Some(Native::Not(arg(0)?)),
            (2, _, _, "|") => Some(Native::Both(true, arg(0)?, arg(1)?)),
            (2, _, _, "&") => Some(Native::Both(false, arg(0)?, arg(1)?)),
            (1, _, _, "-") => Some(Native::Neg(arg(0)?)),
            _ => None,
        };
    }
    match (name, args.len()) {
        ("contains", 2) => {
            let item = arg(1)?;
            match &args[0] {
                Expr::Array(items, _) => {
                    let items = items
                        .iter()
                        .map(|i| match i {
                            Expr::BoolConstant(..)
                            | Expr::IntegerConstant(..)
                            | Expr::FloatConstant(..)
                            | Expr::StringConstant(..) => expr_of(i, names),
                            _ => None,
                        })
                        .collect::<Option<_>>()?;
                    Some(Native::InList(item, items))
                }
                Expr::Variable(variable, _, _) => Some(Native::InField(
                    item,
                    *names.fields.get(variable.1.as_str())?,
                )),
                // The optimizer folds a list of literals into one constant.
                Expr::DynamicConstant(constant, _) => {
                    let list = constant.read_lock::<Array>()?;
                    let items = list.iter().map(literal_of).collect::<Option<_>>()?;
                    Some(Native::InList(item, items))
                }
                _ => None,
            }
        }
        ("done", 1) => literal(names.activities).map(Native::Done),
        ("in_stage", 1) => literal(names.stages).map(Native::InStage),
        ("score", 1) => literal(names.cards).map(Native::Score),
        ("band", 1) => literal(names.cards).map(Native::Band),
        ("len", 1) => match &args[0] {
            Expr::Variable(variable, _, _) => {
                Some(Native::Len(*names.fields.get(variable.1.as_str())?))
            }
            _ => None,
        },
        ("days_since", 1) => Some(Native::DaysSince(arg(0)?)),
        ("days_in_stage", 0) => Some(Native::DaysInStage),
        ("days_until", 1) => Some(Native::DaysUntil(arg(0)?)),
        ("today", 0) => Some(Native::Today),
        ("has", 1) => match &args[0] {
            Expr::Variable(variable, _, _) => {
                Some(Native::Has(*names.fields.get(variable.1.as_str())?))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A constant value as a native literal.
fn literal_of(value: &Dynamic) -> Option<Native> {
    if let Ok(b) = value.as_bool() {
        Some(Native::Bool(b))
    } else if let Ok(i) = value.as_int() {
        Some(Native::Int(i))
    } else if let Ok(f) = value.as_float() {
        Some(Native::Float(f))
    } else if value.is_string() {
        value.clone().into_immutable_string().ok().map(Native::Text)
    } else {
        None
    }
}

impl Native {
    /// `Some(held)` when decided natively; `None` to let Rhai decide.
    pub(crate) fn holds(&self, facts: &Facts<'_>) -> Option<bool> {
        match self.eval(facts)? {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn eval<'v>(&'v self, facts: &Facts<'v>) -> Option<Value<'v>> {
        Some(match self {
            Native::Bool(b) => Value::Bool(*b),
            Native::Int(i) => Value::Int(*i),
            Native::Float(f) => Value::Float(*f),
            Native::Text(t) => Value::Text(t.as_str()),
            Native::Field(f) => field(facts.values.get(*f).copied()??)?,
            Native::Not(inner) => match inner.eval(facts)? {
                Value::Bool(b) => Value::Bool(!b),
                _ => return None,
            },
            Native::Neg(inner) => match inner.eval(facts)? {
                Value::Int(i) => Value::Int(i.checked_neg()?),
                Value::Float(f) => Value::Float(-f),
                _ => return None,
            },
            Native::And(parts) => {
                for part in parts {
                    match part.eval(facts)? {
                        Value::Bool(true) => {}
                        Value::Bool(false) => return Some(Value::Bool(false)),
                        _ => return None,
                    }
                }
                Value::Bool(true)
            }
            Native::Or(parts) => {
                for part in parts {
                    match part.eval(facts)? {
                        Value::Bool(false) => {}
                        Value::Bool(true) => return Some(Value::Bool(true)),
                        _ => return None,
                    }
                }
                Value::Bool(false)
            }
            Native::Both(or, a, b) => match (a.eval(facts)?, b.eval(facts)?) {
                (Value::Bool(x), Value::Bool(y)) => Value::Bool(if *or { x | y } else { x & y }),
                // Whole numbers are Rhai's bitwise operators: left to Rhai.
                _ => return None,
            },
            Native::Compare(op, a, b) => {
                Value::Bool(compare(*op, a.eval(facts)?, b.eval(facts)?, facts.zone)?)
            }
            Native::Arithmetic(op, a, b) => arithmetic(*op, a.eval(facts)?, b.eval(facts)?)?,
            Native::InList(item, list) => {
                let item = item.eval(facts)?;
                for element in list {
                    if compare(Compare::Eq, element.eval(facts)?, item, facts.zone)? {
                        return Some(Value::Bool(true));
                    }
                }
                Value::Bool(false)
            }
            Native::InField(item, f) => {
                let Value::Text(wanted) = item.eval(facts)? else {
                    return None;
                };
                match facts.values.get(*f).copied()?? {
                    Checked::List(items) => {
                        Value::Bool(items.iter().any(|i| i.as_str() == Some(wanted)))
                    }
                    Checked::Text(text) => Value::Bool(text.contains(wanted)),
                    _ => return None,
                }
            }
            Native::Done(activity) => Value::Bool(*facts.done.get(*activity)?),
            Native::InStage(stage) => Value::Bool(facts.active.contains(stage)),
            Native::Score(card) => Value::Int(facts.scores.get(*card).copied()??.0),
            Native::Band(card) => Value::Text(facts.scores.get(*card).copied()??.1.unwrap_or("")),
            Native::Len(f) => Value::Int(match facts.values.get(*f).copied()?? {
                Checked::Text(text) => INT::try_from(text.chars().count()).ok()?,
                Checked::List(items) => INT::try_from(items.len()).ok()?,
                _ => return None,
            }),
            Native::DaysSince(date) => {
                let date = instant(date.eval(facts)?, facts.zone)?;
                Value::Int(crate::support::time::days_between(date, facts.at?))
            }
            Native::DaysInStage => Value::Int(crate::support::time::days_between(
                facts.stage_since?,
                facts.at?,
            )),
            Native::DaysUntil(date) => {
                let date = instant(date.eval(facts)?, facts.zone)?;
                Value::Int(-crate::support::time::days_between(date, facts.at?))
            }
            Native::Today => Value::Date(crate::support::time::midnight_of(facts.at?, facts.zone)),
            Native::Has(f) => Value::Bool(facts.values.get(*f)?.is_some()),
            Native::Coalesce(parts) => {
                let (last, first) = parts.split_last()?;
                for part in first {
                    match part {
                        Native::Field(f) if facts.values.get(*f)?.is_none() => {}
                        other => return other.eval(facts),
                    }
                }
                last.eval(facts)?
            }
        })
    }
}

#[cfg(test)]
#[path = "native_tests.rs"]
mod tests;
