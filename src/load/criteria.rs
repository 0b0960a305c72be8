//! Compiling criteria and transitions, checking every id they name.

use std::collections::HashMap;

use super::builder::{is_id, Builder};
use super::raw::{Bound, CriterionMap, RawCriterion};
use crate::model::Scorecard;
use crate::model::{Criterion, Test};
use crate::script::{Names, Sandbox};
use crate::support::suggest;

/// Compiles criteria, keeping criterion ids unique across the playbook.
pub(super) struct Criteria<'a> {
    sandbox: &'a Sandbox,
    names: &'a Names<'a>,
    cards: &'a [Scorecard],
    ids: HashMap<String, String>,
}

/// The test keys a criterion map carries, in a fixed order.
fn tests_present(map: &CriterionMap) -> Vec<&'static str> {
    let present = [
        ("when", map.when.is_some()),
        ("fields", map.fields.is_some()),
        ("activities", map.activities.is_some()),
        ("score", map.score.is_some()),
        ("band", map.band.is_some()),
        ("all", map.all.is_some()),
        ("any", map.any.is_some()),
        ("not", map.not.is_some()),
    ];
    present
        .iter()
        .filter(|(_, p)| *p)
        .map(|(k, _)| *k)
        .collect()
}

/// The same test, whatever the two criteria's ids and messages (a `when` with other spaces
/// around it is the same rule). Approvals are told apart by their ids, and never the same.
fn same_test(a: &CriterionMap, b: &CriterionMap) -> bool {
    let bare = |map: &CriterionMap| CriterionMap {
        id: None,
        message: None,
        when: map.when.as_deref().map(|w| w.trim().to_owned()),
        ..map.clone()
    };
    a.approval.is_none() && b.approval.is_none() && bare(a) == bare(b)
}

/// A criterion written twice in one list (a gate, or the parts of `all`/`any`): a warning at the
/// second, which would be listed twice among a move's reasons. The same id twice is an error of
/// its own (`duplicate-id`), not repeated here.
fn written_twice(b: &mut Builder<'_>, raw: &[RawCriterion], path: &str) {
    for (j, second) in raw.iter().enumerate() {
        let first = raw[..j].iter().position(|first| {
            same_test(&first.test, &second.test)
                && (first.test.id.is_none() || first.test.id != second.test.id)
        });
        if let Some(i) = first {
            let place = |at: usize| b.map().value(&format!("{path}[{at}]"));
            let where_first = match (place(i), place(j)) {
                (Some(first), Some(here)) if first.line == here.line => {
                    format!("column {}", first.column)
                }
                (first, _) => format!("line {}", first.map_or(0, |p| p.line)),
            };
            b.warning(
                "duplicate-criterion",
                &format!("{path}[{j}]"),
                format!("the same criterion is written twice here (first at {where_first}): a move it blocks would list it twice"),
                Some("remove one of them".to_owned()),
            );
        }
    }
}

impl<'a> Criteria<'a> {
    pub(super) fn new(
        sandbox: &'a Sandbox,
        names: &'a Names<'a>,
        cards: &'a [Scorecard],
    ) -> Criteria<'a> {
        Criteria {
            sandbox,
            names,
            cards,
            ids: HashMap::new(),
        }
    }

    /// A list of criteria at `path`; `approvals` when approval criteria may stand there (a
    /// stage's exit gate, a transition).
    pub(super) fn list(
        &mut self,
        b: &mut Builder<'_>,
        raw: &[RawCriterion],
        path: &str,
        approvals: bool,
    ) -> Vec<Criterion> {
        written_twice(b, raw, path);
        raw.iter()
            .enumerate()
            .filter_map(|(i, c)| self.one(b, c, &format!("{path}[{i}]"), approvals))
            .collect()
    }

    /// One criterion at `path`; `None` when it has an error (reported).
    fn one(
        &mut self,
        b: &mut Builder<'_>,
        raw: &RawCriterion,
        path: &str,
        approvals: bool,
    ) -> Option<Criterion> {
        let map = &raw.test;
        let present = tests_present(map);
        let errors_before = b.diagnostics.len();
        if map.approval.is_some() {
            super::approvals::check(b, map, &present, path, approvals);
        }
        match present.as_slice() {
            [] if map.approval.is_some() => {}
            [] => b.error(
                "criterion-test",
                path,
                "a criterion needs one test: `when`, `fields`, `activities`, `score`, `band`, `all`, `any` or `not`".to_owned(),
                None,
            ),
            [_] => {}
            [first, second, ..] => b.error(
                "criterion-test",
                path,
                format!("a criterion has one test; this one has `{first}` and `{second}`"),
                Some("split it into several criteria, or combine them under `all:`".to_owned()),
            ),
        }
        let bounded = map.score.is_some() || map.band.is_some();
        if !bounded && (map.min.is_some() || map.max.is_some()) {
            b.error(
                "criterion-test",
                path,
                "`min` and `max` go with `score` or `band` only".to_owned(),
                None,
            );
        }
        if bounded && map.min.is_none() && map.max.is_none() {
            b.error(
                "criterion-test",
                path,
                "a `score` or `band` criterion needs `min` or `max`".to_owned(),
                None,
            );
        }
        if let Some(id) = &map.id {
            let id_path = format!("{path}.id");
            if !is_id(id) {
                b.error(
                    "bad-id",
                    &id_path,
                    format!("criterion id `{id}` may use only letters, digits, `_`, `-` and `.`"),
                    None,
                );
            } else if let Some(first) = self.ids.get(id) {
                let line = b.map().value(first).map_or(0, |p| p.line);
                b.error("duplicate-id", &id_path, format!("criterion `{id}` is declared twice (first at line {line}); criterion ids are unique across the playbook"), None);
            } else {
                self.ids.insert(id.clone(), id_path);
            }
        }
        if b.diagnostics.len() > errors_before {
            return None;
        }
        if let Some(approval) = &map.approval {
            let when = match &map.when {
                None => None,
                Some(_) => match self.test(b, map, false, path)? {
                    (Test::When(script), _) => Some(script),
                    _ => None,
                },
            };
            return Some(Criterion {
                id: map.id.clone().unwrap_or_default(),
                message: map.message.clone(),
                test: Test::Approval {
                    role: approval.role.clone(),
                    when,
                    forceable: approval.forceable,
                },
            });
        }
        if present.len() != 1 {
            return None;
        }
        let (test, derived) = self.test(b, map, raw.shorthand, path)?;
        Some(Criterion {
            id: map.id.clone().unwrap_or(derived),
            message: map.message.clone(),
            test,
        })
    }

    /// The compiled test and the name derived from it.
    fn test(
        &mut self,
        b: &mut Builder<'_>,
        map: &CriterionMap,
        shorthand: bool,
        path: &str,
    ) -> Option<(Test, String)> {
        if let Some(source) = &map.when {
            let at = if shorthand {
                path.to_owned()
            } else {
                format!("{path}.when")
            };
            return match self.sandbox.compile(source, self.names) {
                Ok(script) => Some((
                    Test::When(Box::new(script)),
                    format!("when:{}", source.trim()),
                )),
                Err(problems) => {
                    b.script_problems(&at, problems);
                    None
                }
            };
        }
        if let Some(fields) = &map.fields {
            let found = self.ids_in(
                b,
                fields,
                &format!("{path}.fields"),
                "field",
                self.names.fields,
            )?;
            return Some((Test::Fields(found), format!("fields:{}", fields.join(","))));
        }
        if let Some(activities) = &map.activities {
            let found = self.ids_in(
                b,
                activities,
                &format!("{path}.activities"),
                "activity",
                self.names.activities,
            )?;
            return Some((
                Test::Activities(found),
                format!("activities:{}", activities.join(",")),
            ));
        }
        if let Some(card) = map.score.as_ref().or(map.band.as_ref()) {
            let key = if map.score.is_some() { "score" } else { "band" };
            let Some(&index) = self.names.cards.get(card) else {
                b.error(
                    "unknown-scorecard",
                    &format!("{path}.{key}"),
                    format!("`{card}` is not a scorecard of this playbook"),
                    suggest::did_you_mean(card, self.names.cards.keys().map(String::as_str)),
                );
                return None;
            };
            let test = if key == "score" {
                Test::Score {
                    card: index,
                    min: self.number(b, map.min.as_ref(), &format!("{path}.min"))?,
                    max: self.number(b, map.max.as_ref(), &format!("{path}.max"))?,
                }
            } else {
                Test::Band {
                    card: index,
                    min: self.band(b, index, map.min.as_ref(), &format!("{path}.min"))?,
                    max: self.band(b, index, map.max.as_ref(), &format!("{path}.max"))?,
                }
            };
            return Some((test, format!("{key}:{card}")));
        }
        if let Some(parts) = map.all.as_ref().or(map.any.as_ref()) {
            let key = if map.all.is_some() { "all" } else { "any" };
            if parts.is_empty() {
                b.error(
                    "criterion-test",
                    &format!("{path}.{key}"),
                    format!("`{key}` needs at least one criterion"),
                    None,
                );
                return None;
            }
            let compiled = self.list(b, parts, &format!("{path}.{key}"), false);
            if compiled.len() != parts.len() {
                return None;
            }
            let test = if key == "all" {
                Test::All(compiled)
            } else {
                Test::Any(compiled)
            };
            return Some((test, key.to_owned()));
        }
        let inner = map.not.as_ref()?;
        let compiled = self.one(b, inner, &format!("{path}.not"), false)?;
        Some((Test::Not(Box::new(compiled)), "not".to_owned()))
    }

    /// Indices of `ids` in `known`, reporting each unknown one.
    fn ids_in(
        &self,
        b: &mut Builder<'_>,
        ids: &[String],
        path: &str,
        what: &str,
        known: &crate::support::ids::IdIndex,
    ) -> Option<Vec<usize>> {
        if ids.is_empty() {
            b.error(
                "criterion-test",
                path,
                format!("the list of {what} ids is empty"),
                None,
            );
            return None;
        }
        let mut found = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            match known.get(id) {
                Some(&index) => found.push(index),
                None => b.error(
                    if what == "field" {
                        "unknown-field"
                    } else {
                        "unknown-activity"
                    },
                    &format!("{path}[{i}]"),
                    format!(
                        "`{id}` is not {} {what} of this playbook",
                        if what == "activity" { "an" } else { "a" }
                    ),
                    suggest::did_you_mean(id, known.keys().map(String::as_str)),
                ),
            }
        }
        (found.len() == ids.len()).then_some(found)
    }

    fn number(
        &self,
        b: &mut Builder<'_>,
        bound: Option<&Bound>,
        path: &str,
    ) -> Option<Option<f64>> {
        match bound {
            None => Some(None),
            Some(Bound::Number(n)) => Some(Some(*n)),
            Some(Bound::Name(name)) => {
                b.error(
                    "wrong-type",
                    path,
                    format!("a score bound is a number, not `{name}`"),
                    Some("use `band:` to compare bands".to_owned()),
                );
                None
            }
        }
    }

    fn band(
        &self,
        b: &mut Builder<'_>,
        card: usize,
        bound: Option<&Bound>,
        path: &str,
    ) -> Option<Option<usize>> {
        let bands = &self.cards[card].bands;
        let name = match bound {
            None => return Some(None),
            Some(Bound::Name(name)) => name.clone(),
            Some(Bound::Number(n)) => crate::support::messages::number(*n),
        };
        match bands.iter().position(|(band, _)| *band == name) {
            Some(index) => Some(Some(index)),
            None => {
                let known: Vec<&str> = bands.iter().map(|(b, _)| b.as_str()).collect();
                b.error(
                    "unknown-band",
                    path,
                    format!(
                        "`{name}` is not a band of scorecard `{}`",
                        self.cards[card].id
                    ),
                    suggest::did_you_mean(&name, known.iter().copied())
                        .or_else(|| Some(format!("its bands are {}", suggest::list(&known)))),
                );
                None
            }
        }
    }
}
