//! Types of rules: every expression given a type from the fields it reads, the engine's functions
//! and its literals, so a rule that can never hold (a number compared with a text, an enum with a
//! value it does not have, a `when` that is no condition) is an error at load, not a gate that
//! never opens.
//!
//! What is typed: literals (true/false, whole numbers, numbers, texts, lists of literals), field
//! names, `!`, `&&`, `||`, comparisons, `+ - * / %` (and `+` joining texts or lists), `in`, `??`,
//! the engine's functions `done`, `in_stage`, `score`, `band`, `has`, `today`, `days_since`,
//! `days_until`, `days_in_stage` and `len`, and host functions whose host declared what they give.
//! Anything else (other host functions, other Rhai functions and operators, indexing) is
//! "unknown": never an error, checked when the rule runs.

use std::borrow::Cow;

use rhai::{Array, Expr, FnCallExpr, Position};

use super::types::{
    compatible, constant_items, start_of, start_of_call, FieldKind, OneOfKind, Type,
};
use super::{line_column, Names, ScriptProblem};
use help::{condition_help, default_help, list_holds_help, outcome};

/// Types one compiled expression: every problem found, in the order met.
pub(super) struct Checker<'a, 'n> {
    names: &'a Names<'n>,
    /// The rule's text, to place the items of a list the optimizer folded.
    source: &'a str,
    /// What the host's functions give, where the host declared it.
    host: &'a [(String, super::host::Gives)],
    pub problems: Vec<ScriptProblem>,
}

impl<'a, 'n: 'a> Checker<'a, 'n> {
    pub(super) fn new(
        names: &'a Names<'n>,
        source: &'a str,
        host: &'a [(String, super::host::Gives)],
    ) -> Checker<'a, 'n> {
        Checker {
            names,
            source,
            host,
            problems: Vec::new(),
        }
    }

    /// Checks a whole `when`: its parts, and that it is a condition.
    pub(super) fn condition(&mut self, expr: &'a Expr) {
        let found = self.type_of(expr);
        self.must_be_condition(&found, start_of(expr));
    }

    /// A call standing alone as the expression (a statement).
    pub(super) fn condition_call(&mut self, call: &'a FnCallExpr, position: Position) {
        let found = self.call(call, position);
        self.must_be_condition(&found, start_of_call(call, position));
    }

    fn must_be_condition(&mut self, found: &Type<'a>, start: Position) {
        if !found.may_be_condition() {
            self.problem(
                start,
                format!(
                    "a rule must be a condition (true or false), but this gives {}",
                    found.described()
                ),
                Some("compare it with something, for example `seats * 2 >= 10`".to_owned()),
            );
        }
    }

    fn problem(&mut self, position: Position, message: String, help: Option<String>) {
        let (line, column) = line_column(position);
        self.problems.push(ScriptProblem {
            code: "rule-type",
            message,
            help,
            line,
            column,
        });
    }

    fn type_of(&mut self, expr: &'a Expr) -> Type<'a> {
        match expr {
            Expr::BoolConstant(..) => Type::Bool,
            Expr::IntegerConstant(..) => Type::Integer,
            Expr::FloatConstant(..) => Type::Number,
            Expr::StringConstant(text, position) => {
                Type::Literal(Cow::Borrowed(text.as_str()), *position)
            }
            Expr::InterpolatedString(..) | Expr::CharConstant(..) => Type::Text,
            Expr::Array(items, position) => {
                Type::Items(items.iter().map(|i| self.type_of(i)).collect(), *position)
            }
            Expr::DynamicConstant(constant, position) => constant
                .read_lock::<Array>()
                .map_or(Type::Unknown, |items| {
                    constant_items(&items, *position, self.source)
                }),
            Expr::Variable(variable, _, _) => self.field(variable.1.as_str()),
            Expr::And(parts, _) | Expr::Or(parts, _) => {
                let operator = if matches!(expr, Expr::And(..)) {
                    "&&"
                } else {
                    "||"
                };
                for part in parts.iter() {
                    let found = self.type_of(part);
                    if !found.may_be_condition() {
                        self.problem(
                            start_of(part),
                            format!(
                                "`{operator}` joins conditions, but this side is {}",
                                found.described()
                            ),
                            Some(condition_help(&found)),
                        );
                    }
                }
                Type::Bool
            }
            Expr::FnCall(call, position) => self.call(call, *position),
            Expr::Coalesce(parts, _) => self.coalesce(parts),
            Expr::Dot(dot, _, _) => match (&dot.lhs, &dot.rhs) {
                (lhs, Expr::MethodCall(call, position))
                    if call.name.as_str() == "len" && call.args.is_empty() =>
                {
                    let of = self.type_of(lhs);
                    self.len_of(&of, *position)
                }
                _ => {
                    self.type_of(&dot.lhs);
                    Type::Unknown
                }
            },
            _ => Type::Unknown,
        }
    }

    fn field(&self, name: &'a str) -> Type<'a> {
        let Some(&index) = self.names.fields.get(name) else {
            return Type::Unknown;
        };
        match self.names.kinds.get(index) {
            Some(FieldKind::Bool) => Type::Bool,
            Some(FieldKind::Integer) => Type::Integer,
            Some(FieldKind::Number) => Type::Number,
            Some(FieldKind::Text) => Type::Text,
            Some(FieldKind::Date) => Type::Date,
            Some(FieldKind::Enum(values)) => {
                Type::OneOf(Cow::Borrowed(values), OneOfKind::Enum(name))
            }
            Some(FieldKind::List) => Type::List,
            Some(FieldKind::Unknown) | None => Type::Unknown,
        }
    }

    fn call(&mut self, call: &'a FnCallExpr, position: Position) -> Type<'a> {
        let name = call.name.as_str();
        let args: Vec<Type<'a>> = call.args.iter().map(|a| self.type_of(a)).collect();
        if call.op_token.is_some() {
            return match (name, args.as_slice()) {
                ("==" | "!=", [left, right]) => {
                    if let Some((message, help)) = self.never_equal(call) {
                        self.problem(position, message, Some(help));
                    } else if let Some(help) = list_holds_help(call, left, right) {
                        self.problem(
                            position,
                            format!(
                                "`{name}` compares {} with {}, so it {}",
                                left.described(),
                                right.described(),
                                outcome(name)
                            ),
                            Some(help),
                        );
                    } else {
                        self.equal(left, right, name, position);
                    }
                    Type::Bool
                }
                ("<" | "<=" | ">" | ">=", [left, right]) => {
                    self.order(left, right, name, position);
                    Type::Bool
                }
                ("+" | "-" | "*" | "/" | "%", [left, right]) => {
                    self.arithmetic(left, right, name, position)
                }
                ("!", [inner]) => {
                    if !inner.may_be_condition() {
                        self.problem(
                            position,
                            format!(
                                "`!` turns a condition around, but this is {}",
                                inner.described()
                            ),
                            Some(condition_help(inner)),
                        );
                    }
                    Type::Bool
                }
                ("-", [inner]) if inner.is_numeric() => inner.clone(),
                _ => Type::Unknown,
            };
        }
        match (name, args.as_slice()) {
            ("contains", [list, item]) => {
                self.contains(list, item, position);
                Type::Bool
            }
            ("done" | "in_stage", [_]) => Type::Bool,
            ("score", [_]) => Type::Integer,
            ("band", [_]) => self.band(call),
            ("has", [_]) => Type::Bool,
            ("today", []) => Type::Date,
            ("days_since" | "days_until", [date]) => {
                if !matches!(
                    date,
                    Type::Date | Type::Text | Type::Literal(..) | Type::Unknown
                ) {
                    self.problem(
                        position,
                        format!(
                            "`{name}` counts days {} a date, but it is given {}",
                            if name == "days_since" {
                                "from"
                            } else {
                                "until"
                            },
                            date.described()
                        ),
                        Some(format!(
                            "give it a date field or a date in quotes: `{name}(\"2026-11-02\")`"
                        )),
                    );
                }
                Type::Integer
            }
            ("days_in_stage", []) => Type::Integer,
            ("len", [of]) => self.len_of(of, position),
            _ => self.host_gives(name),
        }
    }

    /// `field ?? default`: the field's type, and a default of that type.
    fn coalesce(&mut self, parts: &'a [Expr]) -> Type<'a> {
        let types: Vec<(Type<'a>, &'a Expr)> = parts.iter().map(|p| (self.type_of(p), p)).collect();
        let mut types = types.into_iter();
        let Some((first, first_expr)) = types.next() else {
            return Type::Unknown;
        };
        let mut found = first.clone();
        for (default, expr) in types {
            match (&first, &default) {
                // A default that is no value of the enum is one more value the rule may meet.
                (Type::OneOf(values, kind), Type::Literal(text, _)) => {
                    if !values.iter().any(|v| v == text) {
                        let mut more = values.to_vec();
                        more.push(text.to_string());
                        found = Type::OneOf(Cow::Owned(more), *kind);
                    }
                }
                (Type::Date, Type::Literal(text, at)) => self.date(text, *at, "the default of"),
                (Type::Integer, Type::Number) => found = Type::Number,
                _ if compatible(&first, &default) => {}
                _ => {
                    let what = match first_expr {
                        Expr::Variable(variable, _, _) => format!("`{}`", variable.1),
                        _ => "the value before it".to_owned(),
                    };
                    self.problem(
                        start_of(expr),
                        format!(
                            "the default after `??` is {}, but {what} is {}",
                            default.described(),
                            first.described()
                        ),
                        Some(default_help(&first, first_expr)),
                    );
                }
            }
        }
        found
    }

    /// What a host function gives, when its host declared it.
    fn host_gives(&self, name: &str) -> Type<'a> {
        use super::host::Gives;
        match self.host.iter().find(|(n, _)| n == name).map(|(_, g)| *g) {
            Some(Gives::Bool) => Type::Bool,
            Some(Gives::Integer) => Type::Integer,
            Some(Gives::Number) => Type::Number,
            Some(Gives::Text) => Type::Text,
            Some(Gives::Date) => Type::Date,
            Some(Gives::List) => Type::List,
            None => Type::Unknown,
        }
    }

    /// `band("card")`: one of the card's bands.
    fn band(&self, call: &'a FnCallExpr) -> Type<'a> {
        let Some(Expr::StringConstant(id, _)) = call.args.first() else {
            return Type::Unknown;
        };
        let card = self.names.cards.get(id.as_str()).copied();
        match card.and_then(|c| self.names.bands.get(c)) {
            Some(bands) => Type::OneOf(Cow::Borrowed(bands), OneOfKind::Band(id.as_str())),
            None => Type::Unknown,
        }
    }

    fn len_of(&mut self, of: &Type<'a>, position: Position) -> Type<'a> {
        if matches!(of, Type::Bool | Type::Integer | Type::Number) {
            self.problem(
                position,
                format!(
                    "`len` counts the items of a list or the letters of a text, but it is given {}",
                    of.described()
                ),
                Some("compare the value itself: `seats > 2`, not `seats.len() > 2`".to_owned()),
            );
        }
        Type::Integer
    }
}

mod compare;
mod help;
