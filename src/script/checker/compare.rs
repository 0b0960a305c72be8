//! Comparisons in rules: `==`, `!=`, ordering, arithmetic and `in`, each with the values it can
//! never hold.

use rhai::{Array, Expr, FnCallExpr, Position};

use super::help::{is_bool_text, outcome};
use super::Checker;
use crate::script::types::{compatible, OneOfKind, Type};
use crate::support::suggest;

impl<'a> Checker<'a, '_> {
    /// `==` between a field and a value it never holds: an empty text or list (empty counts as
    /// absent, so the rule is missing, never true), a list's length 0, or a whole-number field and
    /// a fraction.
    pub(super) fn never_equal(&self, call: &FnCallExpr) -> Option<(String, String)> {
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

    /// `==` and `!=`: both sides of one type.
    pub(super) fn equal(
        &mut self,
        left: &Type<'a>,
        right: &Type<'a>,
        operator: &str,
        position: Position,
    ) {
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
    pub(super) fn order(
        &mut self,
        left: &Type<'a>,
        right: &Type<'a>,
        operator: &str,
        position: Position,
    ) {
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

    pub(super) fn arithmetic(
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
    pub(super) fn contains(&mut self, list: &Type<'a>, item: &Type<'a>, position: Position) {
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
    pub(super) fn date(&mut self, text: &str, at: Position, role: &str) {
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
