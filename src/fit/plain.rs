//! Reading a plain JSON deal straight into its checked facts, without building a [`Deal`].
//!
//! Re-scoring stored deals is mostly reading them. This reads a deal's JSON text once, borrows
//! its texts and puts every value in its playbook slot, with the checks of [`check`]. It takes
//! only deals that fit the playbook and that it reads exactly as the full way would; anything
//! else (a text with escapes, a list value, a key it does not know, any problem at all) gives
//! `None`, and the caller reads the deal the full way, which also finds and words every problem.
//!
//! [`Deal`]: super::Deal
//! [`check`]: super::check

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::{entered, pin_fits, CheckedDeal};
use crate::deal::{Checked, HistoryEntry, Scalar};
use crate::model::Playbook;

/// A deal read the quick way: its id and its facts.
pub(crate) struct PlainDeal<'a> {
    pub id: Option<Cow<'a, str>>,
    pub facts: CheckedDeal<'a>,
}

/// Reads `json` as a deal of `playbook`, or `None` when it must be read the full way.
pub(crate) fn read<'a>(playbook: &Playbook, json: &'a str) -> Option<PlainDeal<'a>> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let deal = reader.deserialize_map(DealVisitor { playbook }).ok()?;
    reader.end().ok()?;
    Some(deal)
}

/// The reason given to serde when this reader declines; never shown.
fn decline<E: de::Error>() -> E {
    E::custom("read the full way")
}

/// The keys of a deal document, as the full way accepts them.
const KEYS: [&str; 7] = [
    "id",
    "playbook",
    "stage",
    "stages",
    "fields",
    "activities",
    "history",
];

struct DealVisitor<'p> {
    playbook: &'p Playbook,
}

impl<'a> Visitor<'a> for DealVisitor<'_> {
    type Value = PlainDeal<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a deal")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<PlainDeal<'a>, A::Error> {
        let playbook = self.playbook;
        let mut seen = [false; KEYS.len()];
        let mut id = None;
        let (mut stage, mut stages) = (None, None);
        let mut values = None;
        let mut done = None;
        let mut entered_at = None;
        while let Some(key) = map.next_key::<&'a str>()? {
            let slot = KEYS.iter().position(|k| *k == key).ok_or_else(decline)?;
            // A repeated key is an error the full way.
            if std::mem::replace(&mut seen[slot], true) {
                return Err(decline());
            }
            match key {
                "id" => id = map.next_value::<Id<'a>>()?.0,
                "playbook" => {
                    if let Some(pin) = map.next_value::<Option<&'a str>>()? {
                        if !pin_fits(playbook, pin) {
                            return Err(decline());
                        }
                    }
                }
                "stage" => stage = map.next_value::<Option<&'a str>>()?,
                "stages" => stages = map.next_value::<Option<Vec<&'a str>>>()?,
                "fields" => values = Some(map.next_value_seed(FieldsSeed { playbook })?),
                "activities" => done = Some(map.next_value_seed(ActivitiesSeed { playbook })?),
                "history" => {
                    let history = map.next_value::<Option<Vec<HistoryEntry>>>()?;
                    let mut problems = Vec::new();
                    let found = entered(playbook, history.as_deref().unwrap_or(&[]), &mut problems);
                    if !problems.is_empty() {
                        return Err(decline());
                    }
                    entered_at = Some(found);
                }
                _ => return Err(decline()),
            }
        }
        let named = match (stage, stages) {
            (Some(_), Some(_)) => return Err(decline()),
            (Some(stage), None) => vec![stage],
            (None, stages) => stages.unwrap_or_default(),
        };
        let mut active = Vec::with_capacity(named.len().max(1));
        for stage in named {
            match playbook.stage_index(stage) {
                Some(index) if !active.contains(&index) => active.push(index),
                _ => return Err(decline()),
            }
        }
        if active.is_empty() {
            active.push(0);
        }
        active.sort_unstable();
        Ok(PlainDeal {
            id,
            facts: CheckedDeal {
                active,
                values: values.unwrap_or_else(|| vec![None; playbook.fields.len()]),
                done: done.unwrap_or_else(|| vec![false; playbook.activity_count()]),
                entered: entered_at.unwrap_or_else(|| vec![None; playbook.stages.len()]),
            },
        })
    }
}

/// A deal's id: a text, a number written as a text, or none.
struct Id<'a>(Option<Cow<'a, str>>);

impl<'a> de::Deserialize<'a> for Id<'a> {
    fn deserialize<D: Deserializer<'a>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor)
    }
}

struct IdVisitor;

impl<'a> Visitor<'a> for IdVisitor {
    type Value = Id<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text or a number")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Id<'a>, E> {
        Ok(Id(None))
    }
    fn visit_borrowed_str<E: de::Error>(self, id: &'a str) -> Result<Id<'a>, E> {
        Ok(Id(Some(Cow::Borrowed(id))))
    }
    fn visit_str<E: de::Error>(self, id: &str) -> Result<Id<'a>, E> {
        Ok(Id(Some(Cow::Owned(id.to_owned()))))
    }
    // Numbers are written as the full way writes them: as JSON writes the number.
    fn visit_i64<E: de::Error>(self, id: i64) -> Result<Id<'a>, E> {
        Ok(Id(Some(Cow::Owned(id.to_string()))))
    }
    fn visit_u64<E: de::Error>(self, id: u64) -> Result<Id<'a>, E> {
        Ok(Id(Some(Cow::Owned(id.to_string()))))
    }
    fn visit_f64<E: de::Error>(self, id: f64) -> Result<Id<'a>, E> {
        let number = serde_json::Number::from_f64(id).ok_or_else(decline)?;
        Ok(Id(Some(Cow::Owned(number.to_string()))))
    }
}

/// The `fields` map: every value checked and put in its field's slot.
struct FieldsSeed<'p> {
    playbook: &'p Playbook,
}

impl<'a> DeserializeSeed<'a> for FieldsSeed<'_> {
    type Value = Vec<Option<Checked<'a>>>;
    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for FieldsSeed<'_> {
    type Value = Vec<Option<Checked<'a>>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of fields")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(vec![None; self.playbook.fields.len()])
    }
    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let playbook = self.playbook;
        let mut values = vec![None; playbook.fields.len()];
        let mut seen = vec![false; playbook.fields.len()];
        // Programs write a deal's fields in the same order every time, most often by name: the
        // next few names in that order are tried before the hash table.
        let by_name = playbook.fields_by_name();
        let mut next = 0;
        while let Some(name) = map.next_key::<&'a str>()? {
            let ahead = by_name.get(next..).unwrap_or_default().iter().take(3);
            let index = match ahead.enumerate().find(|(_, (id, _))| id == name) {
                Some((skipped, &(_, index))) => {
                    next += skipped + 1;
                    index
                }
                None => playbook.field_index(name).ok_or_else(decline)?,
            };
            // A field written twice is refused the full way, which says so.
            if std::mem::replace(&mut seen[index], true) {
                return Err(decline());
            }
            let value = map.next_value::<PlainScalar<'a>>()?.0;
            values[index] = playbook.fields[index]
                .check_scalar(value, &playbook.time_zone)
                .map_err(|_| decline())?;
        }
        Ok(values)
    }
}

/// A field value that is a scalar with its text (if any) borrowed from the deal.
struct PlainScalar<'a>(Scalar<'a>);

impl<'a> de::Deserialize<'a> for PlainScalar<'a> {
    fn deserialize<D: Deserializer<'a>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'a> Visitor<'a> for ScalarVisitor {
    type Value = PlainScalar<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value without escapes")
    }
    fn visit_unit<E: de::Error>(self) -> Result<PlainScalar<'a>, E> {
        Ok(PlainScalar(Scalar::Null))
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<PlainScalar<'a>, E> {
        Ok(PlainScalar(Scalar::Bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<PlainScalar<'a>, E> {
        Ok(PlainScalar(Scalar::Integer(value)))
    }
    // A whole number beyond `i64` is refused the full way, which says why.
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<PlainScalar<'a>, E> {
        i64::try_from(value)
            .map(|whole| PlainScalar(Scalar::Integer(whole)))
            .map_err(|_| decline())
    }
    // A number this large may have been written as a whole number beyond `i64`: the full way
    // reads its text and decides.
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<PlainScalar<'a>, E> {
        if value.abs() >= crate::deal::BEYOND_WHOLE {
            return Err(decline());
        }
        Ok(PlainScalar(Scalar::Number(value)))
    }
    fn visit_borrowed_str<E: de::Error>(self, value: &'a str) -> Result<PlainScalar<'a>, E> {
        Ok(PlainScalar(Scalar::Text(value)))
    }
}

/// The `activities` map: which are done, each date checked.
struct ActivitiesSeed<'p> {
    playbook: &'p Playbook,
}

impl<'a> DeserializeSeed<'a> for ActivitiesSeed<'_> {
    type Value = Vec<bool>;
    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<Vec<bool>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for ActivitiesSeed<'_> {
    type Value = Vec<bool>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of activities")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<bool>, E> {
        Ok(vec![false; self.playbook.activity_count()])
    }
    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Vec<bool>, A::Error> {
        let playbook = self.playbook;
        let mut done = vec![false; playbook.activity_count()];
        let mut seen = vec![false; playbook.activity_count()];
        while let Some(name) = map.next_key::<&'a str>()? {
            let index = playbook.activity_index(name).ok_or_else(decline)?;
            // An activity written twice is refused the full way, which says so.
            if std::mem::replace(&mut seen[index], true) {
                return Err(decline());
            }
            done[index] = map.next_value_seed(DoneSeed(&playbook.time_zone))?;
        }
        Ok(done)
    }
}

/// An activity's completion: `true`/`false`, or a date or date-time (done), read in the
/// playbook's time zone.
struct DoneSeed<'z>(&'z jiff::tz::TimeZone);

impl<'a> DeserializeSeed<'a> for DoneSeed<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for DoneSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date, a date-time, or true")
    }
    fn visit_bool<E: de::Error>(self, done: bool) -> Result<bool, E> {
        Ok(done)
    }
    fn visit_str<E: de::Error>(self, at: &str) -> Result<bool, E> {
        crate::support::time::read_time(at, self.0).map_err(|_| decline())?;
        Ok(true)
    }
}

#[cfg(test)]
#[path = "plain_tests.rs"]
mod tests;
