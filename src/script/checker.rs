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
use crate::support::suggest;

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

    /// `==` between a field and a value it never holds: an empty text or list (empty counts as
    /// absent, so the rule is missing, never true), a list's length 0, or a whole-number field and
    /// a fraction.
    fn never_equal(&self, call: &FnCallExpr) -> Option<(String, String)> {
        if call.name.as_str() != "==" {
            return None;
        }
        let [a, b] = call.args.as_slice() else {
            return None;
        };
        let (field, other) = match (self.field_name(a), self.field_name(b)) {
            (Some(field), _) => (field, b),
            (None, Some(field)) => (field, a),
            (None, None) => return self.empty_length(a, b),
        };
        let empty = match other {
            Expr::StringConstant(text, _) => text.is_empty(),
            Expr::Array(items, _) => items.is_empty(),
            Expr::DynamicConstant(constant, _) => constant
                .read_lock::<Array>()
                .is_some_and(|items| items.is_empty()),
            _ => false,
        };
        if empty {
            return Some((
                format!(
                    "an empty value counts as absent, so `{field}` is never equal to it (the rule \
                     is missing for such a deal)"
                ),
                format!("to ask whether `{field}` is empty, write `!has({field})`"),
            ));
        }
        match (self.field(field), other) {
            (Type::Integer, Expr::FloatConstant(number, _)) if number.fract() != 0.0 => Some((
                format!("`{field}` holds whole numbers, so it is never {}", **number),
                "compare with a whole number, or with `>=` and `<`".to_owned(),
            )),
            _ => None,
        }
    }

    /// `tags.len() == 0` (or `len(tags) == 0`): a present list or text is never empty.
    fn empty_length<'e>(&self, a: &'e Expr, b: &'e Expr) -> Option<(String, String)> {
        let length_of = |e: &'e Expr| -> Option<&'e str> {
            match e {
                Expr::Dot(dot, _, _) => match (&dot.lhs, &dot.rhs) {
                    (lhs, Expr::MethodCall(call, _))
                        if call.name.as_str() == "len" && call.args.is_empty() =>
                    {
                        self.field_name(lhs)
                    }
                    _ => None,
                },
                Expr::FnCall(call, _) if call.name.as_str() == "len" && call.args.len() == 1 => {
                    self.field_name(&call.args[0])
                }
                _ => None,
            }
        };
        let zero = |e: &Expr| matches!(e, Expr::IntegerConstant(0, _));
        let field = match (length_of(a), length_of(b)) {
            (Some(field), _) if zero(b) => field,
            (_, Some(field)) if zero(a) => field,
            _ => return None,
        };
        Some((
            format!(
                "an empty value counts as absent, so the length of `{field}` is never 0 (the rule \
                 is missing for such a deal)"
            ),
            format!("to ask whether `{field}` is empty, write `!has({field})`"),
        ))
    }

    /// The declared field an expression reads, when it is one.
    fn field_name<'e>(&self, expr: &'e Expr) -> Option<&'e str> {
        match expr {
            Expr::Variable(variable, _, _)
                if self.names.fields.get(variable.1.as_str()).is_some() =>
            {
                Some(variable.1.as_str())
            }
            _ => None,
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

    /// `==` and `!=`: both sides of one type.
    fn equal(&mut self, left: &Type<'a>, right: &Type<'a>, operator: &str, position: Position) {
        match (left, right) {
            (Type::OneOf(values, kind), Type::Literal(text, at))
            | (Type::Literal(text, at), Type::OneOf(values, kind)) => {
                self.one_of(values, *kind, text, *at);
            }
            (Type::Date, Type::Literal(text, at)) | (Type::Literal(text, at), Type::Date) => {
                self.date(text, *at, "compared with");
            }
            _ if compatible(left, right) => {}
            _ => self.mismatch(left, right, operator, position),
        }
    }

    /// `<`, `<=`, `>`, `>=`: numbers with numbers, dates with dates.
    fn order(&mut self, left: &Type<'a>, right: &Type<'a>, operator: &str, position: Position) {
        match (left, right) {
            (Type::Unknown, _) | (_, Type::Unknown) => {}
            (l, r) if l.is_numeric() && r.is_numeric() => {}
            (Type::Date, Type::Date) => {}
            (Type::Date, Type::Literal(text, at)) | (Type::Literal(text, at), Type::Date) => {
                self.date(text, *at, "compared with");
            }
            (l, r) if l.is_numeric() || r.is_numeric() => self.mismatch(l, r, operator, position),
            (l, r) => {
                let what = if l.is_text() || l == &Type::Bool {
                    l
                } else {
                    r
                };
                self.problem(
                    position,
                    format!(
                        "`{operator}` orders numbers or dates, but this side is {}",
                        what.described()
                    ),
                    Some("compare texts and enums with `==`, `!=` or `in`".to_owned()),
                );
            }
        }
    }

    fn arithmetic(
        &mut self,
        left: &Type<'a>,
        right: &Type<'a>,
        operator: &str,
        position: Position,
    ) -> Type<'a> {
        match (left, right) {
            // `/` of whole numbers that do not divide evenly gives a decimal.
            (Type::Integer, Type::Integer) if operator == "/" => Type::Number,
            (Type::Integer, Type::Integer) => Type::Integer,
            (l, r) if l.is_numeric() && r.is_numeric() => Type::Number,
            (Type::Unknown, _) | (_, Type::Unknown) => Type::Unknown,
            // Rhai joins texts, and lists, with `+`.
            (l, r) if operator == "+" && (l.is_text() || r.is_text()) => Type::Text,
            (Type::List | Type::Items(..), Type::List | Type::Items(..)) if operator == "+" => {
                Type::List
            }
            (l, r) => {
                let what = if l.is_numeric() { r } else { l };
                self.problem(
                    position,
                    format!(
                        "`{operator}` works on numbers, but this side is {}",
                        what.described()
                    ),
                    Some(
                        "count with number fields; compare texts and enums with `==`, `!=` or \
                         `in`"
                            .to_owned(),
                    ),
                );
                Type::Unknown
            }
        }
    }

    /// `item in list`.
    fn contains(&mut self, list: &Type<'a>, item: &Type<'a>, position: Position) {
        match (list, item) {
            (Type::Items(items, at), Type::OneOf(values, kind)) => {
                for each in items {
                    match each {
                        Type::Literal(text, place) => self.one_of(values, *kind, text, *place),
                        Type::Unknown | Type::Text | Type::OneOf(..) => {}
                        other => self.list_holds(*at, other, item),
                    }
                }
            }
            (Type::Items(items, at), item) => {
                if let Some(other) = items.iter().find(|each| !compatible(each, item)) {
                    self.list_holds(*at, other, item);
                }
            }
            (Type::List | Type::Text | Type::Date | Type::OneOf(..) | Type::Literal(..), item)
                if matches!(item, Type::Bool | Type::Integer | Type::Number) =>
            {
                self.problem(
                    position,
                    format!(
                        "`in` looks for a text here, but the value tested is {}",
                        item.described()
                    ),
                    Some(
                        "lists and texts hold texts: put the value in quotes, or compare a \
                         number with `==`"
                            .to_owned(),
                    ),
                );
            }
            (Type::Bool | Type::Integer | Type::Number, _) => self.problem(
                position,
                format!(
                    "`in` looks in a list or a text, but this is {}",
                    list.described()
                ),
                Some(
                    "write `value in list`: the list (a list field or `[..]`) goes on the right"
                        .to_owned(),
                ),
            ),
            _ => {}
        }
    }

    /// A list whose items cannot be the value tested with `in`.
    fn list_holds(&mut self, at: Position, held: &Type<'a>, item: &Type<'a>) {
        self.problem(
            at,
            format!(
                "the list holds {}, but the value tested is {}",
                held.described(),
                item.described()
            ),
            Some(format!(
                "write every item as {}, like the value tested",
                item.described()
            )),
        );
    }

    /// A literal that must be one of `values`.
    fn one_of(&mut self, values: &[String], kind: OneOfKind<'_>, text: &str, at: Position) {
        // `band(..)` is empty below every band.
        if values.iter().any(|v| v == text)
            || (text.is_empty() && matches!(kind, OneOfKind::Band(_)))
        {
            return;
        }
        let what = match kind {
            OneOfKind::Enum(field) => format!("a value of `{field}`"),
            OneOfKind::Band(card) => format!("a band of the scorecard `{card}`"),
        };
        let help = match values.iter().find(|v| v.eq_ignore_ascii_case(text)) {
            Some(same) => Some(format!("only the case differs: write \"{same}\"")),
            None => suggest::did_you_mean(text, values.iter().map(String::as_str))
                .or_else(|| Some(format!("it is one of {}", suggest::list(values)))),
        };
        self.problem(at, format!("\"{text}\" is not {what}"), help);
    }

    /// A literal compared with a date must be a date.
    fn date(&mut self, text: &str, at: Position, role: &str) {
        if crate::support::time::parse_time(text).is_err() {
            self.problem(
                at,
                format!("\"{text}\" is {role} a date, but it is not a date"),
                Some("write a date as \"2026-11-02\" or \"2026-11-02T10:00:00Z\"".to_owned()),
            );
        }
    }

    fn mismatch(&mut self, left: &Type<'a>, right: &Type<'a>, operator: &str, position: Position) {
        // A `help:` line always follows: the most specific one that fits.
        let literal_number = |t: &Type<'_>| match t {
            Type::Literal(text, _) => text.trim().parse::<f64>().is_ok(),
            _ => false,
        };
        let help = if (left.is_numeric() && literal_number(right))
            || (right.is_numeric() && literal_number(left))
        {
            Some("write the number without quotes".to_owned())
        } else if (left == &Type::Date && right.is_numeric())
            || (right == &Type::Date && left.is_numeric())
        {
            Some(
                "count days with `days_since(date)` or `days_until(date)`, or write a date in \
                 quotes: \"2026-11-02\""
                    .to_owned(),
            )
        } else if (left == &Type::Bool && is_bool_text(right))
            || (right == &Type::Bool && is_bool_text(left))
        {
            Some("write true or false without quotes".to_owned())
        } else if matches!(left, Type::Bool) || matches!(right, Type::Bool) {
            Some(
                "compare values of one kind; a true-or-false field or a condition stands alone: \
                 `champion`, `!champion`"
                    .to_owned(),
            )
        } else {
            Some(
                "compare values of one kind: numbers with numbers, texts with texts, lists with \
                 `in`"
                    .to_owned(),
            )
        };
        self.problem(
            position,
            format!(
                "`{operator}` compares {} with {}, so it {}",
                left.described(),
                right.described(),
                outcome(operator)
            ),
            help,
        );
    }
}

/// `tags == "vip"`: a list compared with a text, where `"vip" in tags` was meant.
fn list_holds_help(call: &FnCallExpr, left: &Type<'_>, right: &Type<'_>) -> Option<String> {
    let (list, text) = match (left, right) {
        (Type::List, t) if t.is_text() => (call.args.first()?, call.args.get(1)?),
        (t, Type::List) if t.is_text() => (call.args.get(1)?, call.args.first()?),
        _ => return None,
    };
    let list = match list {
        Expr::Variable(variable, _, _) => variable.1.to_string(),
        _ => "the list".to_owned(),
    };
    let text = match text {
        Expr::StringConstant(text, _) => format!("\"{text}\""),
        Expr::Variable(variable, _, _) => variable.1.to_string(),
        _ => "the text".to_owned(),
    };
    let negated = if call.name.as_str() == "!=" { "!(" } else { "" };
    let close = if negated.is_empty() { "" } else { ")" };
    Some(format!(
        "to ask whether the list holds it, write `{negated}{text} in {list}{close}`"
    ))
}

/// What comparing values that can never be equal gives: `!=` always holds, the others never.
fn outcome(operator: &str) -> &'static str {
    if operator == "!=" {
        "always holds"
    } else {
        "never holds"
    }
}

/// Help for something used as a condition that is not one.
fn condition_help(found: &Type<'_>) -> String {
    if found.is_numeric() {
        "compare it to make a condition: `arr > 0`".to_owned()
    } else if found.is_text() {
        "compare it to make a condition: `name != \"\"`, or ask `has(name)`".to_owned()
    } else {
        "compare it to make a condition, for example `tags.len() > 0`".to_owned()
    }
}

/// A default of the field's own type, written out: `amount ?? 0`.
fn default_help(field: &Type<'_>, expr: &Expr) -> String {
    let name = match expr {
        Expr::Variable(variable, _, _) => variable.1.to_string(),
        _ => "value".to_owned(),
    };
    let default = match field {
        Type::Integer | Type::Number => "0",
        Type::Bool => "false",
        Type::List | Type::Items(..) => "[]",
        Type::Date => "today()",
        _ => "\"\"",
    };
    format!("give a default of the field's own type, like `{name} ?? {default}`")
}

/// The text "true" or "false" written in quotes.
fn is_bool_text(found: &Type<'_>) -> bool {
    matches!(found, Type::Literal(text, _) if text == "true" || text == "false")
}
