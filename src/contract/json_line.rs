//! A deal's scores as one line of JSON: read from the deal's JSON text straight into the
//! playbook's slots, and written byte for byte as `serde_json` writes [`DealScores`], without its
//! per-value machinery: re-scoring a book reads and writes far more than it scores.

use jiff::Timestamp;

use crate::deal::{Deal, DealError, DealProblem};
use crate::engine::{DealScores, Engine, Score};

/// Every scorecard of a deal given as JSON text, with the deal's id: the same as
/// [`Engine::score`] on the parsed deal, read faster. A deal whose texts have no escapes and whose
/// values are no lists is read straight into the playbook's slots, borrowing its texts, without
/// building a [`Deal`]; any other deal (and any deal with a problem) is read the full way, so the
/// result and every error are those of [`Engine::score`].
///
/// # Errors
///
/// As [`Engine::score`]; a text that is not a deal gives a [`DealError`] with
/// [`DealProblem::Unreadable`].
///
/// # Example
///
/// ```
/// use stagegate::contract::score_json;
/// use stagegate::{Deal, DealProblem, Engine, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let engine = Engine::new(playbook);
/// let at = stagegate::parse_time("2026-11-27").unwrap();
/// // Read straight into the playbook's slots, or (an escaped text) the full way: same answer.
/// for text in [r#"{"id": "D-7", "fields": {"budget": 60000, "decision_maker": "CFO"}}"#,
///              r#"{"id": "D-7", "fields": {"budget": 60000, "decision_maker": "C\u0046O"}}"#] {
///     let deal: Deal = serde_json::from_str(text).unwrap();
///     assert_eq!(score_json(&engine, text, at).unwrap().scores, engine.score(&deal, at).unwrap());
/// }
/// let error = score_json(&engine, r#"{"id": "D-8", "fields": {"budjet": 1}}"#, at).unwrap_err();
/// assert_eq!(error.deal, "D-8");
/// assert!(matches!(&error.problems[0], DealProblem::UndeclaredField { field, .. } if field == "budjet"));
/// assert!(score_json(&engine, "{", at).is_err());
/// ```
pub fn score_json(engine: &Engine, json: &str, at: Timestamp) -> Result<DealScores, DealError> {
    if let Some(plain) = crate::fit::read_plain(engine.playbook(), json) {
        let scores = engine.score_facts(plain.id.as_deref(), plain.facts, at);
        return Ok(DealScores {
            deal: plain.id.map(std::borrow::Cow::into_owned),
            scores,
        });
    }
    if let Some(message) = crate::deal::not_an_object(json) {
        let problem = DealProblem::Unreadable(message);
        return Err(DealError::new("(no id)".to_owned(), vec![problem]));
    }
    let deal: Deal = serde_json::from_str(json).map_err(|error| {
        let problem = DealProblem::Unreadable(error.to_string());
        DealError::new("(no id)".to_owned(), vec![problem])
    })?;
    let oversized = crate::deal::number_problems(&deal, json, crate::deal::TextFormat::Json);
    if !oversized.is_empty() {
        return Err(DealError::new(deal.label("(no id)"), oversized));
    }
    let scores = engine.score(&deal, at)?;
    Ok(DealScores {
        deal: deal.id,
        scores,
    })
}

impl Engine {
    /// Every scorecard of a deal given as JSON text: [`score_json`], which reads JSON text where
    /// the engine reads none.
    ///
    /// # Errors
    ///
    /// As [`score_json`].
    #[deprecated(
        since = "0.2.0",
        note = "use `stagegate::contract::score_json(&engine, json, at)`"
    )]
    pub fn score_json(&self, json: &str, at: Timestamp) -> Result<DealScores, DealError> {
        score_json(self, json, at)
    }
}

impl DealScores {
    /// The scores as compact JSON: the same text as `serde_json::to_string(self)`, written
    /// faster.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{contract::score_json, Engine, Playbook};
    /// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
    /// let at = stagegate::parse_time("2026-11-27").unwrap();
    /// let scored = score_json(&Engine::new(playbook), r#"{"id": "D-7", "fields": {"budget": 60000}}"#, at).unwrap();
    /// assert_eq!(scored.to_json(), serde_json::to_string(&scored).unwrap());
    /// assert!(scored.to_json().starts_with(r#"{"deal":"D-7","scores":{"lead":{"total":25,"#));
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(1024);
        out.push_str("{\"deal\":");
        match &self.deal {
            Some(deal) => text(&mut out, deal),
            None => out.push_str("null"),
        }
        out.push_str(",\"scores\":{");
        for (i, (card, score)) in self.scores.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            text(&mut out, card);
            out.push(':');
            write_score(&mut out, score);
        }
        out.push_str("}}");
        out
    }
}

fn write_score(out: &mut String, score: &Score) {
    out.push_str("{\"total\":");
    out.push_str(itoa::Buffer::new().format(score.total));
    out.push_str(",\"band\":");
    match &score.band {
        Some(band) => text(out, band),
        None => out.push_str("null"),
    }
    out.push_str(",\"rules\":[");
    for (i, rule) in score.rules.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        text(out, &rule.id);
        out.push_str(",\"points\":");
        out.push_str(itoa::Buffer::new().format(rule.points));
        out.push_str(if rule.matched {
            ",\"matched\":true"
        } else {
            ",\"matched\":false"
        });
        if !rule.missing.is_empty() {
            out.push_str(",\"missing\":[");
            for (j, field) in rule.missing.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                text(out, field);
            }
            out.push(']');
        }
        if let Some(error) = &rule.error {
            out.push_str(",\"error\":");
            text(out, error);
        }
        out.push('}');
    }
    out.push_str("]}");
}

/// A JSON string, escaped as `serde_json` escapes it: `"` and `\`, the short forms `\b \f \n
/// \r \t`, other control characters as `\u00XX` (lower-case hex), everything else as it is.
fn text(out: &mut String, value: &str) {
    out.push('"');
    if !value.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(value);
        out.push('"');
        return;
    }
    let mut plain = 0;
    for (i, byte) in value.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0C => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(&value[plain..i]);
        plain = i + 1;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&value[plain..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::collection::vec;
    use proptest::prelude::*;

    use crate::engine::{DealScores, RuleResult, Score};

    /// Texts with every kind of character JSON escapes, and some it does not.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[a-z_]{1,12}",
            1 => "\\PC{0,8}",
            1 => vec(0u8..0x80, 0..8).prop_map(|b| b.into_iter().map(char::from).collect()),
            1 => proptest::sample::select(vec!["\"", "\\", "\u{7f}", "é", "위험", "\u{2028}", ""])
                .prop_map(str::to_owned),
        ]
    }

    fn rule() -> impl Strategy<Value = RuleResult> {
        (
            text(),
            any::<i64>(),
            any::<bool>(),
            vec(text(), 0..3),
            proptest::option::of(text()),
        )
            .prop_map(|(id, points, matched, missing, error)| RuleResult {
                id,
                points,
                matched,
                missing,
                error,
            })
    }

    fn scores() -> impl Strategy<Value = DealScores> {
        let score = (
            any::<i64>(),
            proptest::option::of(text()),
            vec(rule(), 0..4),
        )
            .prop_map(|(total, band, rules)| Score { total, band, rules });
        (
            proptest::option::of(text()),
            proptest::collection::btree_map(text(), score, 0..3),
        )
            .prop_map(|(deal, scores)| DealScores { deal, scores })
    }

    proptest! {
        #[test]
        fn writes_what_serde_json_writes(scored in scores()) {
            let expected = serde_json::to_string(&scored).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(scored.to_json(), expected);
        }
    }

    #[test]
    fn every_control_character_is_escaped_as_serde_json_does() {
        let all: String = (0u8..0x80).map(char::from).collect();
        let scored = DealScores {
            deal: Some(all.clone()),
            scores: BTreeMap::from([(
                all,
                Score {
                    total: i64::MIN,
                    band: None,
                    rules: Vec::new(),
                },
            )]),
        };
        assert_eq!(scored.to_json(), serde_json::to_string(&scored).unwrap());
    }
}
