//! Numbers as CRM exports write them: thousands grouped (`12,000`, `1.234.567`), decimals after a
//! point or a comma (`12.5`, `12,5`), as the mapping's `thousands:` and `decimal:` say.

/// How a column writes its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Separators {
    /// The character grouping thousands, if the export groups them.
    pub thousands: Option<char>,
    /// The character before the decimals.
    pub decimal: char,
}

impl Default for Separators {
    fn default() -> Separators {
        Separators {
            thousands: None,
            decimal: '.',
        }
    }
}

/// The pairs an export is likely to use, tried in this order when a cell does not read.
const LIKELY: [Separators; 8] = [
    with(Some(','), '.'),
    with(None, ','),
    with(Some('.'), ','),
    with(Some(' '), '.'),
    with(Some(' '), ','),
    with(Some('\u{a0}'), ','),
    with(Some('\u{202f}'), ','),
    with(Some('\''), '.'),
];

const fn with(thousands: Option<char>, decimal: char) -> Separators {
    Separators { thousands, decimal }
}

impl Separators {
    /// Why a mapping may not use these separators, if it may not.
    pub(super) fn problem(self) -> Option<String> {
        let unfit = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | 'e' | 'E');
        if let Some(c) = self.thousands.filter(|&c| unfit(c)) {
            return Some(format!(
                "`{c}` cannot separate thousands: it is part of a number"
            ));
        }
        if unfit(self.decimal) {
            return Some(format!(
                "`{}` cannot mark the decimals: it is part of a number",
                self.decimal
            ));
        }
        if self.thousands == Some(self.decimal) {
            return Some(format!(
                "`{}` is both the thousands and the decimal separator (`decimal:` is `.` unless \
                 given)",
                self.decimal
            ));
        }
        None
    }

    /// The cell as Rust reads numbers (`-1234.5`); `None` when a separator is out of place
    /// (`12,00` with `thousands: ","`, or `1.5` where `,` marks the decimals).
    pub(super) fn plain(self, cell: &str) -> Option<String> {
        if self == Separators::default() {
            return Some(cell.to_owned());
        }
        let (sign, digits) = match cell.strip_prefix(['-', '+']) {
            Some(rest) => (&cell[..1], rest),
            None => ("", cell),
        };
        let (whole, decimals) = match digits.split_once(self.decimal) {
            Some((whole, decimals)) => (whole, Some(decimals)),
            None => (digits, None),
        };
        let mut plain = sign.to_owned();
        match self.thousands {
            Some(t) if whole.contains(t) => {
                let mut groups = whole.split(t);
                let first = groups.next().unwrap_or_default();
                let digits_only = |g: &str| g.chars().all(|c| c.is_ascii_digit());
                if first.is_empty() || first.len() > 3 || !digits_only(first) {
                    return None;
                }
                plain.push_str(first);
                for group in groups {
                    if group.len() != 3 || !digits_only(group) {
                        return None;
                    }
                    plain.push_str(group);
                }
            }
            _ => plain.push_str(whole),
        }
        if let Some(decimals) = decimals {
            plain.push('.');
            plain.push_str(decimals);
        }
        // Only the decimal mark becomes a point: a point written where `,` marks the decimals is
        // out of place (any other stray character fails when the number is read).
        let points = plain.chars().filter(|&c| c == '.').count();
        if points > usize::from(decimals.is_some()) {
            return None;
        }
        Some(plain)
    }

    /// What to add to the mapping so that `cell` reads (`reads` says whether a plain text does):
    /// `` add `thousands: ","` to the mapping ``, two ways when it reads more than one way; when
    /// the mapping gives separators, how it says numbers are written.
    pub(super) fn hint(self, cell: &str, reads: impl Fn(&str) -> bool) -> Option<String> {
        if self != Separators::default() {
            // The mapping says how numbers are written: a cell that breaks that is named as such.
            if self.plain(cell).is_some() {
                return None;
            }
            let thousands = self.thousands.map_or_else(
                || "thousands are not grouped".to_owned(),
                |t| format!("`{t}` groups thousands in threes"),
            );
            return Some(format!(
                "the mapping says {thousands} and `{}` marks the decimals",
                self.decimal
            ));
        }
        let mut hints: Vec<String> = Vec::new();
        for other in LIKELY {
            if other == self || other.problem().is_some() {
                continue;
            }
            if !other.plain(cell).is_some_and(|plain| reads(&plain)) {
                continue;
            }
            let thousands = other
                .thousands
                .filter(|_| other.thousands != self.thousands);
            let decimal = Some(other.decimal).filter(|&d| d != self.decimal);
            let hint = match (thousands, decimal) {
                (Some(t), None) => {
                    format!("if `{t}` groups thousands, add `thousands: \"{t}\"` to the mapping")
                }
                (None, Some(d)) => {
                    format!("if `{d}` marks the decimals, add `decimal: \"{d}\"` to the mapping")
                }
                (Some(t), Some(d)) => format!(
                    "if `{t}` groups thousands and `{d}` marks the decimals, add \
                     `thousands: \"{t}\"` and `decimal: \"{d}\"` to the mapping"
                ),
                (None, None) => continue,
            };
            hints.push(hint);
            if hints.len() == 2 {
                break;
            }
        }
        (!hints.is_empty()).then(|| hints.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(separators: Separators, cell: &str) -> Option<f64> {
        separators.plain(cell)?.parse().ok()
    }

    #[test]
    fn thousands_and_decimals_read_as_the_mapping_says() {
        let us = with(Some(','), '.');
        assert_eq!(read(us, "12,000"), Some(12000.0));
        assert_eq!(read(us, "-1,234,567.25"), Some(-1234567.25));
        assert_eq!(read(us, "950"), Some(950.0));
        assert_eq!(
            read(us, "12,00"),
            None,
            "a group of two digits is out of place"
        );
        assert_eq!(read(us, "1,2345"), None);
        assert_eq!(read(us, ",123"), None);
        assert_eq!(read(us, "1.5,000"), None, "no separator among the decimals");
        let european = with(Some('.'), ',');
        assert_eq!(read(european, "1.234,5"), Some(1234.5));
        assert_eq!(read(european, "12,5"), Some(12.5));
        assert_eq!(
            read(with(None, ','), "1.5"),
            None,
            "a point is not the decimal mark"
        );
        assert_eq!(read(with(Some(' '), ','), "1 234 567,8"), Some(1234567.8));
        assert_eq!(read(Separators::default(), "12,000"), None);
    }

    #[test]
    fn a_mapping_may_not_use_one_character_for_both() {
        assert!(with(Some('.'), '.').problem().is_some());
        assert!(with(Some('1'), '.').problem().is_some());
        assert!(with(Some(','), '.').problem().is_none());
    }

    #[test]
    fn a_cell_that_would_read_otherwise_says_how() {
        let reads = |plain: &str| plain.parse::<f64>().is_ok();
        let none = Separators::default();
        assert_eq!(
            none.hint("12,000", reads).as_deref(),
            Some(
                "if `,` groups thousands, add `thousands: \",\"` to the mapping; if `,` marks the \
                 decimals, add `decimal: \",\"` to the mapping"
            )
        );
        assert_eq!(
            none.hint("1.234,5", reads).as_deref(),
            Some(
                "if `.` groups thousands and `,` marks the decimals, add `thousands: \".\"` and \
                 `decimal: \",\"` to the mapping"
            )
        );
        assert_eq!(none.hint("abc", reads), None);
        let us = with(Some(','), '.');
        assert_eq!(
            us.hint("12,5", reads).as_deref(),
            Some("the mapping says `,` groups thousands in threes and `.` marks the decimals")
        );
        assert_eq!(
            us.hint("2.5", reads),
            None,
            "it reads; it is only not whole"
        );
    }
}
