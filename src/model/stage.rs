//! Stages of the sales process, their activities and success metrics.

use serde::{Deserialize, Serialize};

use crate::model::Criterion;
use crate::support::text::Text;

/// What entering a stage means for the deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A milestone: entering the stage counts the deal as won.
    Won,
    /// Terminal: the deal was lost.
    Lost,
    /// Terminal: the customer left.
    Churned,
}

/// What a stage's `max_days` counts from (`max_days: { days: 14, since: activity }`).
///
/// # Example
///
/// ```
/// use stagegate::{Playbook, Since};
/// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
///     stages: [{id: qualify, max_days: {days: 14, since: activity}}, {id: propose, max_days: 30}]\n\
///     transitions: [{from: qualify, to: propose}]\n", "p.yaml").unwrap();
/// assert_eq!(playbook.stage("qualify").unwrap().max_days, Some(14));
/// assert_eq!(playbook.stage("qualify").unwrap().max_days_since, Since::Activity);
/// assert_eq!(playbook.stage("propose").unwrap().max_days_since, Since::Entered);
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Since {
    /// From when the deal entered the stage: days in the stage.
    #[default]
    Entered,
    /// From the deal's last activity: its latest move, edit or creation in the history, or the
    /// latest activity done, whichever is later.
    Activity,
}

impl Since {
    /// As written in a playbook and in warnings: `entered` or `activity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Since::Entered => "entered",
            Since::Activity => "activity",
        }
    }
}

/// Work done with the customer; ids are unique across the playbook.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    /// The activity's id.
    pub id: String,
    /// What people call it.
    pub title: Option<Text>,
    /// Needed for every forward move out of its stage.
    pub required: bool,
    /// Who may tick or untick it, instead of `permissions.edit` (`None`: as `permissions.edit`).
    pub edit: Option<Vec<String>>,
}

/// A success metric of a stage (documentation, shown by the command line).
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// The metric's id.
    pub id: String,
    /// What people call it.
    pub title: Option<Text>,
}

/// One stage of the playbook.
///
/// # Example
///
/// ```
/// use stagegate::{Outcome, Playbook};
/// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml")).unwrap();
/// let qualification = playbook.stage("qualification").unwrap();
/// assert_eq!(qualification.max_days, Some(30));
/// assert!(qualification.activities.iter().any(|a| a.id == "discovery_call" && a.required));
/// assert_eq!(playbook.stage("lost").unwrap().outcome, Some(Outcome::Lost));
/// ```
#[derive(Debug)]
pub struct Stage {
    /// The stage's id.
    pub id: String,
    /// What people call it.
    pub title: Option<Text>,
    /// The customer's side of this stage.
    pub journey: Option<Text>,
    /// Work done in this stage.
    pub activities: Vec<Activity>,
    /// Success metrics.
    pub metrics: Vec<Metric>,
    /// Chance of winning from here, 0 to 1, for the weighted forecast.
    pub probability: Option<f64>,
    /// Longer than this in the stage is a "stalled" warning.
    pub max_days: Option<u32>,
    /// What `max_days` counts from: entering the stage (the default) or the deal's last
    /// activity.
    pub max_days_since: Since,
    /// Won, lost or churned, if entering the stage means one.
    pub outcome: Option<Outcome>,
    /// What a rep should do in this stage, in the playbook's languages.
    pub guidance: Option<Text>,
    /// The fields that matter most here (at most five), shown while they are empty.
    pub key_fields: Vec<String>,
    pub(crate) entry: Vec<Criterion>,
    pub(crate) exit: Vec<Criterion>,
    /// Effects of entering the stage, in order.
    pub(crate) on_enter: Vec<super::EffectRule>,
    /// Effects of leaving the stage, in order.
    pub(crate) on_exit: Vec<super::EffectRule>,
}

impl Stage {
    /// `true` for `lost` and `churned` stages, which have no way out.
    pub fn is_terminal(&self) -> bool {
        matches!(self.outcome, Some(Outcome::Lost | Outcome::Churned))
    }

    /// The stage's title in `lang` (falling back to `default`), or its id when it has none.
    pub fn title_in<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        self.title
            .as_ref()
            .map_or(self.id.as_str(), |title| title.get(lang, default))
    }
}

impl Activity {
    /// The activity's title in `lang` (falling back to `default`), or its id when it has none.
    pub fn title_in<'a>(&'a self, lang: &str, default: &str) -> &'a str {
        self.title
            .as_ref()
            .map_or(self.id.as_str(), |title| title.get(lang, default))
    }
}
