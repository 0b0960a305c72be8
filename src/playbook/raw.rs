//! The playbook as written: serde types that mirror the YAML, before any checking.

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::ordered::Ordered;
use crate::stage::Outcome;
use crate::text::Text;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlaybook {
    pub stagegate: u64,
    pub id: String,
    pub version: u64,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub fields: Ordered<RawField>,
    #[serde(default)]
    pub scorecards: Ordered<RawScorecard>,
    pub stages: Vec<RawStage>,
    #[serde(default)]
    pub transitions: Vec<RawTransition>,
    #[serde(default)]
    pub tests: Vec<crate::test_case::TestCase>,
}

/// A field declaration.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    #[serde(rename = "type")]
    pub kind: crate::field::FieldType,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub title: Option<Text>,
}

/// A scorecard.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScorecard {
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub bands: Ordered<i64>,
}

/// A scorecard rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: String,
    pub when: String,
    pub points: i64,
}

/// A stage.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    pub id: String,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub journey: Option<Text>,
    #[serde(default)]
    pub activities: Vec<RawActivity>,
    #[serde(default)]
    pub entry: Vec<RawCriterion>,
    #[serde(default)]
    pub exit: Vec<RawCriterion>,
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    #[serde(default)]
    pub probability: Option<f64>,
    #[serde(default)]
    pub max_days: Option<u32>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

/// An activity of a stage.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActivity {
    pub id: String,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub required: bool,
}

/// A success metric of a stage.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMetric {
    pub id: String,
    #[serde(default)]
    pub title: Option<Text>,
}

/// A transition.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTransition {
    pub from: RawFrom,
    pub to: String,
    #[serde(default)]
    pub when: Vec<RawCriterion>,
    #[serde(default)]
    pub fork: bool,
}

/// The `from` of a transition: one stage, several, or `"*"`.
#[derive(Debug)]
pub(crate) enum RawFrom {
    Every,
    Stages(Vec<String>),
}

impl<'de> Deserialize<'de> for RawFrom {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FromVisitor;
        impl<'de> Visitor<'de> for FromVisitor {
            type Value = RawFrom;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a stage id, a list of stage ids, or \"*\"")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<RawFrom, E> {
                Ok(if value == "*" {
                    RawFrom::Every
                } else {
                    RawFrom::Stages(vec![value.to_owned()])
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawFrom, A::Error> {
                let ids = Vec::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RawFrom::Stages(ids))
            }
        }
        deserializer.deserialize_any(FromVisitor)
    }
}

/// A criterion: a bare string (a `when` expression) or a map with one test.
#[derive(Debug)]
pub(crate) struct RawCriterion {
    /// The keys as written (for a bare string, only `when`).
    pub test: CriterionMap,
    /// Set when the criterion was written as a bare string.
    pub shorthand: bool,
}

/// The map form of a criterion.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionMap {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub message: Option<Text>,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    #[serde(default)]
    pub activities: Option<Vec<String>>,
    #[serde(default)]
    pub score: Option<String>,
    #[serde(default)]
    pub band: Option<String>,
    #[serde(default)]
    pub min: Option<Bound>,
    #[serde(default)]
    pub max: Option<Bound>,
    #[serde(default)]
    pub all: Option<Vec<RawCriterion>>,
    #[serde(default)]
    pub any: Option<Vec<RawCriterion>>,
    #[serde(default)]
    pub not: Option<Box<RawCriterion>>,
}

/// A `min`/`max` of a score (a number) or of a band (a band id).
#[derive(Debug, Clone)]
pub(crate) enum Bound {
    Number(f64),
    Name(String),
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoundVisitor;
        impl Visitor<'_> for BoundVisitor {
            type Value = Bound;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number (for a score) or a band id (for a band)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bound, E> {
                Ok(Bound::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bound, E> {
                Ok(Bound::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bound, E> {
                Ok(Bound::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bound, E> {
                Ok(Bound::Name(v.to_owned()))
            }
        }
        deserializer.deserialize_any(BoundVisitor)
    }
}

impl<'de> Deserialize<'de> for RawCriterion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CriterionVisitor;
        impl<'de> Visitor<'de> for CriterionVisitor {
            type Value = RawCriterion;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a criterion: a Rhai expression, or a map with one test")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<RawCriterion, E> {
                Ok(RawCriterion {
                    test: CriterionMap {
                        when: Some(value.to_owned()),
                        ..CriterionMap::default()
                    },
                    shorthand: true,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawCriterion, A::Error> {
                let test = CriterionMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawCriterion {
                    test,
                    shorthand: false,
                })
            }
        }
        deserializer.deserialize_any(CriterionVisitor)
    }
}
