//! Playbook test cases, as written under `tests:` or in case files.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::refusal::ExpectedRefusal;
use crate::deal::Deal;

/// One test case: a deal at a time, and what the playbook must say about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// What the case shows, in the authors' words.
    pub name: String,
    /// The evaluation time (a date or RFC 3339 date-time); default: the runner's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The deal.
    pub deal: Deal,
    /// A move to apply before checking `expect`.
    #[serde(default, rename = "move", skip_serializing_if = "Option::is_none")]
    pub move_to: Option<String>,
    /// The source of the move, when the deal is in several stages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Make the `move:` even if blocked, for this reason (a bypass: the actor needs a
    /// `permissions.force` role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<String>,
    /// Who makes the move and sees the moves (`{ id, roles }`); none: as without an actor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<CaseActor>,
    /// The deal is brought in by `actor` as an import (a CRM migration) before anything else:
    /// its entries marked imported; a refused import fails the case.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub import: bool,
    /// Approvals given, in order, before the move and the checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approve: Vec<ApproveStep>,
    /// Changes `actor` makes after the approvals, before the move (`fields`, `activities`,
    /// `owner`); a refused edit fails the case unless `expect.edit_refused` names why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<crate::deal::Changes>,
    /// What must hold.
    #[serde(default)]
    pub expect: Expect,
}

/// A person in a test case: an id and the roles they hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CaseActor {
    /// The person's id.
    pub id: String,
    /// The roles they hold.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// One approval a test case gives before its move and checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApproveStep {
    /// The approval criterion.
    pub criterion: String,
    /// Who approves.
    pub by: CaseActor,
    /// The approval must be refused (`true`), or refused for one reason (`forbidden`,
    /// `refused`); the case fails if it is given, or refused for another reason.
    #[serde(default, skip_serializing_if = "ExpectedRefusal::is_given")]
    pub refused: ExpectedRefusal,
}

/// What a test case checks; only what it names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Target stages (or `from>to`) that must be allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// Target stages (or `from>to`) that must be blocked, with criteria or activity ids that must
    /// be among the reasons.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub blocked: BTreeMap<String, Vec<String>>,
    /// Scorecard totals, and bands.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scores: BTreeMap<String, ExpectedScore>,
    /// The active stages after the move (or of the deal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<String>>,
    /// The move must be blocked, with these criteria or activity ids among the reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_move: Option<Vec<String>>,
    /// Activities that must be among the deal's open tasks (after the move, if any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
    /// Roles (or `owner`) the move must notify.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notified: Vec<String>,
    /// Approval criteria the `edit:` must void (their approvals were given on a value it
    /// changed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voided: Vec<String>,
    /// The `edit:` must be refused, with this code (`not-permitted`, `archived`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_refused: Option<String>,
}

/// An expected score: a total, and optionally a band.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpectedScore {
    /// The total, if checked.
    pub total: Option<i64>,
    /// The band, if checked.
    pub band: Option<String>,
}

impl<'de> Deserialize<'de> for ExpectedScore {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            #[serde(default)]
            total: Option<i64>,
            #[serde(default)]
            band: Option<String>,
        }
        struct ScoreVisitor;
        impl<'de> Visitor<'de> for ScoreVisitor {
            type Value = ExpectedScore;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a total, or a map with `total` and/or `band`")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ExpectedScore, E> {
                Ok(ExpectedScore {
                    total: Some(v),
                    band: None,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ExpectedScore, E> {
                let total = i64::try_from(v).map_err(|_| E::custom("total out of range"))?;
                self.visit_i64(total)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ExpectedScore, A::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(ExpectedScore {
                    total: full.total,
                    band: full.band,
                })
            }
        }
        deserializer.deserialize_any(ScoreVisitor)
    }
}

impl schemars::JsonSchema for ExpectedScore {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExpectedScore".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A total, or a map with `total` and/or `band`.",
            "anyOf": [
                { "type": "integer" },
                {
                    "type": "object",
                    "properties": { "total": { "type": "integer" }, "band": { "type": "string" } },
                    "additionalProperties": false
                }
            ]
        })
    }
}
