//! The static types of rules: what a field holds, and what an expression gives, for the checker
//! (`checker.rs`).

use std::borrow::Cow;

use rhai::{Array, Expr, FnCallExpr, Position};

/// What a field holds, as rules read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Bool,
    Integer,
    Number,
    Text,
    Date,
    /// One of these values.
    Enum(Vec<String>),
    /// A list of texts.
    List,
    /// In doubt (declared twice): not typed.
    Unknown,
}

/// The static type of an expression.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Type<'a> {
    Bool,
    Integer,
    Number,
    /// A text read from a field or made by a function.
    Text,
    /// A text written in the rule, with where it stands.
    Literal(Cow<'a, str>, Position),
    Date,
    /// A text restricted to these values (an enum field, or a scorecard's bands).
    OneOf(&'a [String], OneOfKind<'a>),
    /// A list of texts (a list field).
    List,
    /// A list written in the rule: each item's type.
    Items(Vec<Type<'a>>, Position),
    /// Not modelled here: checked when the rule runs.
    Unknown,
}

/// Where a restricted text comes from, for messages: an enum field, or a scorecard's bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OneOfKind<'a> {
    Enum(&'a str),
    Band(&'a str),
}

impl Type<'_> {
    /// True or false, or unknown until the rule runs: what a condition may be.
    pub(super) fn may_be_condition(&self) -> bool {
        matches!(self, Type::Bool | Type::Unknown)
    }

    pub(super) fn is_numeric(&self) -> bool {
        matches!(self, Type::Integer | Type::Number)
    }

    pub(super) fn is_text(&self) -> bool {
        matches!(
            self,
            Type::Text | Type::Literal(..) | Type::Date | Type::OneOf(..)
        )
    }

    /// How the type reads in a message: "a number", "the text `\"5\"`".
    pub(super) fn described(&self) -> String {
        match self {
            Type::Bool => "true or false".to_owned(),
            Type::Integer => "a whole number".to_owned(),
            Type::Number => "a number".to_owned(),
            Type::Text => "a text".to_owned(),
            Type::Literal(text, _) => format!("the text \"{text}\""),
            Type::Date => "a date".to_owned(),
            Type::OneOf(_, OneOfKind::Enum(field)) => format!("`{field}` (one of its values)"),
            Type::OneOf(_, OneOfKind::Band(card)) => format!("a band of `{card}`"),
            Type::List | Type::Items(..) => "a list".to_owned(),
            Type::Unknown => "a value".to_owned(),
        }
    }
}

/// Where an expression starts: the left-most operand of a binary operator, not the operator.
pub(super) fn start_of(expr: &Expr) -> Position {
    match expr {
        Expr::FnCall(call, position) => start_of_call(call, *position),
        Expr::And(parts, _) | Expr::Or(parts, _) => parts.first().map_or(expr.position(), start_of),
        other => other.start_position(),
    }
}

/// Where a call starts: the left operand of a binary operator, else the call's own position.
pub(super) fn start_of_call(call: &FnCallExpr, position: Position) -> Position {
    match call.args.first() {
        Some(left) if call.op_token.is_some() && call.args.len() == 2 => start_of(left),
        _ => position,
    }
}

/// Whether two types can be equal.
pub(super) fn compatible(left: &Type<'_>, right: &Type<'_>) -> bool {
    match (left, right) {
        (Type::Unknown, _) | (_, Type::Unknown) => true,
        (l, r) if l.is_numeric() && r.is_numeric() => true,
        (Type::Bool, Type::Bool) => true,
        (l, r) if l.is_text() && r.is_text() => true,
        (Type::List | Type::Items(..), Type::List | Type::Items(..)) => true,
        _ => false,
    }
}

/// A list of literals folded into one constant by the optimizer.
pub(super) fn constant_items(items: &Array, position: Position) -> Type<'static> {
    let types = items
        .iter()
        .map(|item| {
            if item.is_bool() {
                Type::Bool
            } else if item.is_int() {
                Type::Integer
            } else if item.is_float() {
                Type::Number
            } else if let Ok(text) = item.clone().into_immutable_string() {
                Type::Literal(Cow::Owned(text.to_string()), position)
            } else {
                Type::Unknown
            }
        })
        .collect();
    Type::Items(types, position)
}
