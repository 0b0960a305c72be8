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
    OneOf(Cow<'a, [String]>, OneOfKind<'a>),
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

/// A list of literals folded into one constant by the optimizer; `source` is the rule, so each
/// item is placed where it is written.
pub(super) fn constant_items(items: &Array, position: Position, source: &str) -> Type<'static> {
    let places = item_places(source, position, items.len());
    let types = items
        .iter()
        .zip(places)
        .map(|(item, place)| {
            if item.is_bool() {
                Type::Bool
            } else if item.is_int() {
                Type::Integer
            } else if item.is_float() {
                Type::Number
            } else if let Ok(text) = item.clone().into_immutable_string() {
                Type::Literal(Cow::Owned(text.to_string()), place)
            } else {
                Type::Unknown
            }
        })
        .collect();
    Type::Items(types, position)
}

/// Where each of `count` items of the list written at `list` (its `[`) starts in `source`; the
/// list's own place for any item the scan cannot find.
fn item_places(source: &str, list: Position, count: usize) -> Vec<Position> {
    let mut places = Vec::with_capacity(count);
    let (Some(line), Some(column)) = (list.line(), list.position()) else {
        return vec![list; count];
    };
    // Every character from the `[` on, with its 1-based line and column.
    let mut chars = source
        .lines()
        .enumerate()
        .skip(line - 1)
        .flat_map(|(l, text)| {
            text.chars()
                .chain(std::iter::once('\n'))
                .enumerate()
                .map(move |(c, ch)| (l + 1, c + 1, ch))
        })
        .skip(column - 1);
    if chars.next().map(|(_, _, c)| c) != Some('[') {
        return vec![list; count];
    }
    let mut expecting_item = true;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut depth = 0usize;
    for (line, column, c) in chars {
        if let Some(q) = quote {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, _) if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            ' ' | '\t' | '\n' | '\r' => continue,
            ']' if depth == 0 => break,
            ',' if depth == 0 => {
                expecting_item = true;
                continue;
            }
            '[' | '(' | '{' => depth += 1,
            ']' | ')' | '}' => depth = depth.saturating_sub(1),
            '"' | '`' | '\'' => quote = Some(c),
            _ => {}
        }
        if expecting_item && depth <= 1 {
            let place = u16::try_from(line)
                .ok()
                .zip(u16::try_from(column).ok())
                .map_or(list, |(line, column)| Position::new(line, column));
            places.push(place);
            expecting_item = false;
        }
    }
    places.resize(count, list);
    places
}
