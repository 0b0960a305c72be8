//! The playbook as written: serde types that mirror the YAML, before any checking.

use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

use crate::model::Outcome;
use crate::support::ordered::Ordered;
use crate::support::text::Text;

/// The whole file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlaybook {
    /// Format version: always 1.
    pub stagegate: u64,
    /// The playbook's id: a-z, 0-9, `_` and `-`.
    pub id: String,
    /// A positive whole number; deals may pin `id@version`.
    pub version: u64,
    #[serde(default)]
    pub title: Option<Text>,
    #[serde(default)]
    pub description: Option<Text>,
    /// Language codes the texts carry; the first is the default.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The number field holding a deal's money value.
    #[serde(default)]
    pub value: Option<String>,
    /// The currency of the money value: an ISO 4217 code (`USD`, `EUR`, `KRW`).
    #[serde(default)]
    pub currency: Option<String>,
    /// The text field holding a deal's name (a company, a project), as boards show it.
    #[serde(default)]
    pub deal_name: Option<String>,
    /// The date field holding the date a deal is expected to close.
    #[serde(default)]
    pub expected_close: Option<String>,
    /// The IANA time zone (`Asia/Seoul`, `America/New_York`) in which dates and zone-less
    /// date-times of deals, cases and `--at` are read, and `today()` begins; default `UTC`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Roles people are given, by id (`owner`, the deal's owner, is built in).
    #[serde(default)]
    pub roles: Ordered<super::roles::RawRole>,
    /// Who may make and force moves.
    #[serde(default)]
    pub permissions: Option<super::roles::RawPermissions>,
    /// The facts a deal carries, by name.
    #[serde(default)]
    pub fields: Ordered<RawField>,
    /// Points-based scores, by id.
    #[serde(default)]
    pub scorecards: Ordered<RawScorecard>,
    /// The stages; the list order is the main path.
    pub stages: Vec<RawStage>,
    /// The stages a new deal may start in (default: the first stage of the main path).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub start: Option<Vec<String>>,
    /// The declared moves between stages.
    #[serde(default)]
    pub transitions: Vec<RawTransition>,
    /// Test cases run by `stagegate test`.
    #[serde(default)]
    pub tests: Vec<crate::model::TestCase>,
    /// Tighter limits for this playbook's rules (the host's limits stay the ceiling).
    #[serde(default)]
    pub limits: Option<RawLimits>,
    /// How deals pinned to an older version of this playbook are carried to this one.
    #[serde(default)]
    pub migrations: Vec<RawMigration>,
}

/// Every field's and activity's own `edit:` list, at its path.
pub(crate) fn edit_lists<'r>(
    fields: &'r Ordered<RawField>,
    stages: &'r [RawStage],
) -> Vec<(String, &'r [String])> {
    {
        let fields = fields.0.iter().filter_map(|(id, field)| {
            field
                .edit
                .as_deref()
                .map(|names| (format!("fields.{id}.edit"), names))
        });
        let activities = stages.iter().enumerate().flat_map(|(s, stage)| {
            stage
                .activities
                .iter()
                .enumerate()
                .filter_map(move |(a, activity)| {
                    activity
                        .edit
                        .as_deref()
                        .map(|names| (format!("stages[{s}].activities[{a}].edit"), names))
                })
        });
        fields.chain(activities).collect()
    }
}

/// How deals of one older version map onto this version. Ids not listed keep their name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMigration {
    /// The older version this migration starts from.
    pub from: u64,
    /// Stages renamed or removed: old id to the id in this version.
    #[serde(default)]
    pub stages: Ordered<String>,
    /// Activities renamed or removed: old id to the id in this version, or null to drop it.
    #[serde(default)]
    pub activities: Ordered<Option<String>>,
    /// Fields renamed or removed: old name to the name in this version, or null to drop it.
    #[serde(default)]
    pub fields: Ordered<Option<String>>,
}

/// Limits a playbook sets for its own rules; each is optional.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLimits {
    /// Operations one rule may run.
    #[serde(default)]
    pub operations: Option<u64>,
    /// Depth of nested function calls.
    #[serde(default)]
    pub call_levels: Option<u64>,
    /// Depth of nested expressions.
    #[serde(default)]
    pub expression_depth: Option<u64>,
    /// Length of a text, in bytes.
    #[serde(default)]
    pub string_size: Option<u64>,
    /// Items in a list.
    #[serde(default)]
    pub array_size: Option<u64>,
    /// Entries in a map.
    #[serde(default)]
    pub map_size: Option<u64>,
}

/// A field declaration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    /// bool, integer, number, text, date, enum or list.
    #[serde(rename = "type")]
    pub kind: crate::model::FieldType,
    /// For `enum`: the allowed values, each an id or `{ id, title }`.
    #[serde(default)]
    pub values: Vec<super::choices::RawChoice>,
    #[serde(default)]
    pub title: Option<Text>,
    /// Who may change the field (`owner`: the deal's owner), instead of `permissions.edit`.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub edit: Option<Vec<String>>,
}

/// A scorecard.
#[derive(Debug, Deserialize, JsonSchema)]
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
    /// Band thresholds in ascending order: a deal's band is the last whose threshold is at most its total.
    #[serde(default)]
    pub bands: Ordered<i64>,
}

/// A scorecard rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    /// Unique within the scorecard.
    pub id: String,
    /// A Rhai expression; the rule matches when it is true.
    pub when: String,
    /// Points added when the rule matches (may be negative).
    pub points: i64,
}

/// A stage.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    pub id: String,
    #[serde(default)]
    pub title: Option<Text>,
    /// The customer's side of this stage.
    #[serde(default)]
    pub journey: Option<Text>,
    #[serde(default)]
    pub activities: Vec<RawActivity>,
    /// Criteria every move into this stage needs.
    #[serde(default)]
    pub entry: Vec<RawCriterion>,
    /// Criteria every forward move out of this stage needs.
    #[serde(default)]
    pub exit: Vec<RawCriterion>,
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    /// Chance of winning from this stage, 0 to 1.
    #[serde(default)]
    pub probability: Option<f64>,
    /// Longer than this many days in the stage is a "stalled" warning: a number (days in the
    /// stage), or `{ days, since }` with `since: activity` to count from the deal's last activity.
    #[serde(default)]
    pub max_days: Option<RawMaxDays>,
    /// won (a milestone), lost or churned (terminal).
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// What a rep should do in this stage.
    #[serde(default)]
    pub guidance: Option<Text>,
    /// The fields that matter most in this stage (at most five), shown while empty.
    #[serde(default)]
    pub key_fields: Vec<String>,
    /// Effects of entering the stage: `task` and `notify`, in order.
    #[serde(default)]
    pub on_enter: Vec<super::effects::RawEffect>,
    /// Effects of leaving the stage: `task` and `notify`, in order.
    #[serde(default)]
    pub on_exit: Vec<super::effects::RawEffect>,
}

/// A stage's `max_days`: a number of days in the stage, or `{ days, since }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawMaxDays {
    /// Days in the stage (counted from entering it).
    Days(u32),
    /// Days, counted from what `since` says.
    Since(RawMaxDaysSince),
}

/// `max_days: { days: 14, since: activity }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMaxDaysSince {
    /// Longer than this many days is a "stalled" warning.
    pub days: u32,
    /// `entered` (the default): days since the deal entered the stage; `activity`: days since
    /// its last activity (its latest move, edit or creation, or the latest activity done).
    #[serde(default)]
    pub since: Option<crate::model::Since>,
}

impl JsonSchema for RawMaxDays {
    fn schema_name() -> Cow<'static, str> {
        "RawMaxDays".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Each branch says its type, so that a shape problem is reported against the branch of
        // the value's type (a map's unknown `since`, not "expected a whole number").
        let written = generator.subschema_for::<RawMaxDaysSince>();
        json_schema!({
            "description": "Longer than this many days is a \"stalled\" warning: a number (days in the stage), or `{ days, since }`.",
            "anyOf": [
                { "type": "integer", "format": "uint32", "minimum": 0, "description": "Days in the stage (counted from entering it)." },
                written
            ]
        })
    }
}

impl RawMaxDays {
    /// The days, and what they count from.
    pub(crate) fn read(&self) -> (u32, crate::model::Since) {
        match self {
            RawMaxDays::Days(days) => (*days, crate::model::Since::Entered),
            RawMaxDays::Since(written) => (written.days, written.since.unwrap_or_default()),
        }
    }
}

/// An activity of a stage.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawActivity {
    pub id: String,
    #[serde(default)]
    pub title: Option<Text>,
    /// Needed for every forward move out of its stage. Write `false` for an activity that no
    /// gate needs on purpose (otherwise `check` warns).
    #[serde(default)]
    pub required: Option<bool>,
    /// Who may tick or untick the activity (`owner`: the deal's owner), instead of
    /// `permissions.edit`.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub edit: Option<Vec<String>>,
}

/// A success metric of a stage.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMetric {
    pub id: String,
    #[serde(default)]
    pub title: Option<Text>,
}

/// A transition.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTransition {
    /// A stage id, a list of stage ids, or "*" (every stage without an `outcome`).
    pub from: RawFrom,
    /// The target stage id.
    pub to: String,
    /// Criteria this move alone needs.
    #[serde(default)]
    pub when: Vec<RawCriterion>,
    /// Keep the source stage active: the deal is then in several stages.
    #[serde(default)]
    pub fork: bool,
    /// Roles one of which a person needs to make this move (left out: anyone who may move).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub by: Option<Vec<String>>,
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
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawCriterion {
    /// The keys as written (for a bare string, only `when`).
    pub test: CriterionMap,
    /// Set when the criterion was written as a bare string.
    pub shorthand: bool,
}

/// The map form of a criterion.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionMap {
    /// Unique across the playbook.
    #[serde(default)]
    pub id: Option<String>,
    /// What to tell people when it does not hold.
    #[serde(default)]
    pub message: Option<Text>,
    /// Holds when this Rhai expression is true.
    #[serde(default)]
    pub when: Option<String>,
    /// Holds when each field is present and not empty.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// Holds when each activity is done.
    #[serde(default)]
    pub activities: Option<Vec<String>>,
    /// Holds when this scorecard's total is within `min` and `max`.
    #[serde(default)]
    pub score: Option<String>,
    /// Holds when this scorecard's band is within `min` and `max` (band ids).
    #[serde(default)]
    pub band: Option<String>,
    /// Lower bound of `score` (a number) or `band` (a band id).
    #[serde(default)]
    pub min: Option<Bound>,
    /// Upper bound of `score` (a number) or `band` (a band id).
    #[serde(default)]
    pub max: Option<Bound>,
    /// Holds when every criterion holds.
    #[serde(default)]
    pub all: Option<Vec<RawCriterion>>,
    /// Holds when at least one criterion holds.
    #[serde(default)]
    pub any: Option<Vec<RawCriterion>>,
    /// Holds when the criterion does not hold.
    #[serde(default)]
    pub not: Option<Box<RawCriterion>>,
    /// Needs an approval by someone with this role (only when `when` holds, if given).
    #[serde(default)]
    pub approval: Option<RawApproval>,
}

/// `approval:` on a criterion.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawApproval {
    /// The role that approves; not the deal's owner, and not the person moving it (four eyes).
    pub role: String,
    /// Whether a forced move may go past the approval when it is missing (default: never; an
    /// approval is someone else's consent).
    #[serde(default)]
    pub forceable: bool,
}

/// A `min`/`max` of a score (a number) or of a band (a band id).
#[derive(Debug, Clone, PartialEq)]
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

impl JsonSchema for RawFrom {
    fn schema_name() -> Cow<'static, str> {
        "From".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A stage id, a list of stage ids, or \"*\" (every stage that is not terminal).",
            "anyOf": [ { "type": "string" }, { "type": "array", "items": { "type": "string" } } ]
        })
    }
}

impl JsonSchema for RawCriterion {
    fn schema_name() -> Cow<'static, str> {
        "Criterion".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let map = generator.subschema_for::<CriterionMap>();
        json_schema!({
            "description": "A criterion: a Rhai expression, or a map with exactly one test.",
            "anyOf": [ { "type": "string" }, map ]
        })
    }
}

impl JsonSchema for Bound {
    fn schema_name() -> Cow<'static, str> {
        "Bound".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "anyOf": [ { "type": "number" }, { "type": "string" } ] })
    }
}
