//! `Playbook::outline`: a playbook as a page shows it, in one language: its stages in main-path
//! order, its fields with their types and values, activities, roles, scorecards and approvals.
//! Built once here, so a board and a deal's form never read the playbook's YAML themselves.

use schemars::JsonSchema;
use serde::Serialize;

use super::{json, Contract};
use crate::model::{Field, FieldType, Outcome, Playbook, Stage};
use crate::support::messages::{self, ApprovalNeed};

/// A playbook as a page shows it: everything a deal's form and a pipeline board need, texts in
/// one language (`language`; a text the playbook lacks in it is in its first language).
///
/// # Example
///
/// ```
/// let playbook = stagegate::Playbook::load("playbooks/b2b-sales.yaml").unwrap();
/// let outline = playbook.outline("en");
/// assert_eq!(outline.playbook, "b2b-sales@1");
/// assert_eq!(outline.stages[1].title, "Qualification");
/// let industry = outline.fields.iter().find(|f| f.id == "industry").unwrap();
/// assert_eq!(industry.values[1].id, "finance");
/// assert_eq!(industry.values[1].title, "Finance");
/// assert_eq!(outline.currency.as_deref(), Some("USD"));
/// assert!(outline.fields.iter().any(|f| f.id == "amount" && f.money));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Outline {
    /// The playbook's `id@version`, as deals pin it.
    pub playbook: String,
    /// The playbook's id.
    pub id: String,
    /// Its version.
    pub version: u64,
    /// Its title, if it has one.
    pub title: Option<String>,
    /// The language asked for.
    pub language: String,
    /// The languages the playbook is written in; the first is its default.
    pub languages: Vec<String>,
    /// The time zone its dates are read in (`timezone:`, an IANA name; `UTC` without one).
    pub time_zone: String,
    /// The field holding a deal's money value (`value:`), if declared.
    pub value_field: Option<String>,
    /// The currency of the money value (`currency:`, an ISO 4217 code such as `USD`), if
    /// declared.
    pub currency: Option<String>,
    /// The text field holding a deal's name (`deal_name:`), if declared.
    pub deal_name: Option<String>,
    /// The date field holding a deal's expected close date (`expected_close:`), if declared.
    pub expected_close: Option<String>,
    /// Its stages: the main path in order, then the lost and churned stages standing off it.
    pub stages: Vec<OutlineStage>,
    /// Its fields, in playbook order.
    pub fields: Vec<OutlineField>,
    /// The roles it declares (`owner` is built in and not listed).
    pub roles: Vec<OutlineRole>,
    /// The roles that may force a blocked move; `null` when anyone may.
    pub force: Option<Vec<String>>,
    /// Its scorecards, in playbook order.
    pub scorecards: Vec<OutlineScorecard>,
    /// Its approval criteria: stages' exit gates, then transitions'.
    pub approvals: Vec<OutlineApproval>,
}

/// A stage as a board shows it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineStage {
    /// The stage's id.
    pub id: String,
    /// Its title (its id when it has none).
    pub title: String,
    /// `true` for a lost or churned stage: off the main path, no way out.
    pub terminal: bool,
    /// Won, lost or churned, when entering the stage means one.
    pub outcome: Option<Outcome>,
    /// The chance of winning from here, 0 to 1, if given.
    pub probability: Option<f64>,
    /// Days in the stage after which a deal is stalled, if given.
    pub max_days: Option<u32>,
    /// What a rep should do here, if written.
    pub guidance: Option<String>,
    /// The fields that matter most here.
    pub key_fields: Vec<String>,
    /// The work done in this stage.
    pub activities: Vec<OutlineActivity>,
}

/// An activity of a stage.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineActivity {
    /// The activity's id (unique across the playbook).
    pub id: String,
    /// Its title (its id when it has none).
    pub title: String,
    /// The stage it belongs to.
    pub stage: String,
    /// Needed for every forward move out of its stage.
    pub required: bool,
}

/// A field as a deal's form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineField {
    /// The field's id, its key in a deal's `fields`.
    pub id: String,
    /// Its type, as the playbook writes it.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Its title (its id when it has none).
    pub title: String,
    /// The values an `enum` field takes, in playbook order (none for other types).
    pub values: Vec<OutlineChoice>,
    /// `true` when the field holds a list of texts.
    pub list: bool,
    /// `true` for the field holding a deal's money value (the playbook's `value:`).
    pub money: bool,
}

/// One value an `enum` field takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineChoice {
    /// The value as a deal holds it.
    pub id: String,
    /// How it reads in the outline's language: its label (`{ id, title }`), else the value
    /// itself.
    pub title: String,
}

/// A role people are given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineRole {
    /// The role's id.
    pub id: String,
    /// Its title (its id when it has none).
    pub title: String,
}

/// A scorecard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineScorecard {
    /// The scorecard's id.
    pub id: String,
    /// Its title (its id when it has none).
    pub title: String,
}

/// An approval criterion: who must approve before a deal leaves a stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct OutlineApproval {
    /// The criterion's id, as an approval names it.
    pub criterion: String,
    /// The stage a deal is in while it needs the approval.
    pub stage: String,
    /// The role that approves.
    pub role: String,
    /// What the approval is for: the criterion's message, else who must approve.
    pub message: String,
}

impl Playbook {
    /// The playbook as a page shows it, its texts in `lang` (a text the playbook lacks in `lang`
    /// is in its first language).
    pub fn outline(&self, lang: &str) -> Outline {
        let default = self.default_language();
        let (main_path, off_it): (Vec<&Stage>, Vec<&Stage>) =
            self.stages().iter().partition(|stage| !stage.is_terminal());
        Outline {
            playbook: self.pin(),
            id: self.id().to_owned(),
            version: self.version(),
            title: self.title(lang).map(str::to_owned),
            language: lang.to_owned(),
            languages: self.languages().to_vec(),
            time_zone: self.time_zone().to_owned(),
            value_field: self.value_field().map(str::to_owned),
            currency: self.currency().map(str::to_owned),
            deal_name: self.deal_name_field().map(str::to_owned),
            expected_close: self.expected_close_field().map(str::to_owned),
            stages: main_path
                .into_iter()
                .chain(off_it)
                .map(|stage| outline_stage(stage, lang, default))
                .collect(),
            fields: self
                .fields()
                .iter()
                .map(|field| self.outline_field(field, lang, default))
                .collect(),
            roles: self
                .roles()
                .iter()
                .map(|role| OutlineRole {
                    id: role.id.clone(),
                    title: role.title_in(lang, default).to_owned(),
                })
                .collect(),
            force: self.permissions().force.clone(),
            scorecards: self
                .scorecards()
                .map(|id| OutlineScorecard {
                    id: id.to_owned(),
                    title: self.scorecard_title(id, lang).unwrap_or(id).to_owned(),
                })
                .collect(),
            approvals: self.outline_approvals(lang, default),
        }
    }

    fn outline_field(&self, field: &Field, lang: &str, default: &str) -> OutlineField {
        OutlineField {
            id: field.id.clone(),
            kind: field.kind,
            title: field.title_in(lang, default).to_owned(),
            values: field
                .values
                .iter()
                .map(|value| OutlineChoice {
                    id: value.clone(),
                    title: field.value_title(value, lang, default).to_owned(),
                })
                .collect(),
            list: field.kind == FieldType::List,
            money: self.value_field() == Some(field.id.as_str()),
        }
    }

    fn outline_approvals(&self, lang: &str, default: &str) -> Vec<OutlineApproval> {
        self.approval_gates()
            .map(|gate| {
                let message = gate.criterion.message.as_ref().map_or_else(
                    || {
                        let role = self.roles().iter().find(|r| r.id == gate.role);
                        let title = role.map_or(gate.role, |r| r.title_in(lang, default));
                        messages::approval_needed(lang, title, &ApprovalNeed::Missing)
                    },
                    |text| text.get(lang, default).to_owned(),
                );
                OutlineApproval {
                    criterion: gate.criterion.id.clone(),
                    stage: self.stages()[gate.stage].id.clone(),
                    role: gate.role.to_owned(),
                    message,
                }
            })
            .collect()
    }
}

fn outline_stage(stage: &Stage, lang: &str, default: &str) -> OutlineStage {
    OutlineStage {
        id: stage.id.clone(),
        title: stage.title_in(lang, default).to_owned(),
        terminal: stage.is_terminal(),
        outcome: stage.outcome,
        probability: stage.probability,
        max_days: stage.max_days,
        guidance: stage
            .guidance
            .as_ref()
            .map(|text| text.get(lang, default).to_owned()),
        key_fields: stage.key_fields.clone(),
        activities: stage
            .activities
            .iter()
            .map(|activity| OutlineActivity {
                id: activity.id.clone(),
                title: activity.title_in(lang, default).to_owned(),
                stage: stage.id.clone(),
                required: activity.required,
            })
            .collect(),
    }
}

impl Contract {
    /// The playbook as a page shows it, in the contract's language (see [`Outline`]).
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::contract::Contract;
    /// let yaml = std::fs::read_to_string("playbooks/b2b-sales.yaml").unwrap();
    /// let outline: serde_json::Value =
    ///     serde_json::from_str(&Contract::load(&yaml, "b2b-sales.yaml", Some("ko")).unwrap().outline()).unwrap();
    /// assert_eq!(outline["language"], "ko");
    /// assert_eq!(outline["stages"][1]["title"], "자격 검증");
    /// ```
    pub fn outline(&self) -> String {
        json(&self.engine.playbook().outline(self.engine.language()))
    }
}
