//! `guidance`, `key_fields`, `on_enter` and `on_exit` of stages: what a rep should do, and what
//! entering or leaving a stage sets in motion, checked and compiled.

use schemars::JsonSchema;
use serde::Deserialize;

use super::builder::Builder;
use crate::model::{EffectRule, Role, Stage, OWNER};
use crate::script::{Names, Sandbox};
use crate::support::suggest;
use crate::support::text::Text;

/// The most key fields a stage shows.
pub(crate) const MAX_KEY_FIELDS: usize = 5;

/// One effect as written: exactly one of `task` and `notify`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEffect {
    /// Open a task: an activity to do within `due_days` days of the move.
    #[serde(default)]
    pub task: Option<RawTask>,
    /// Tell the people holding a role.
    #[serde(default)]
    pub notify: Option<RawNotify>,
}

/// `task:` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTask {
    /// A declared activity.
    pub activity: String,
    /// Whole days from the move, in the playbook's time zone.
    pub due_days: u32,
    /// `owner` (the deal's owner; the default) or a declared role.
    #[serde(default)]
    pub assignee: Option<String>,
}

/// `notify:` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNotify {
    /// A declared role (or `owner`).
    pub role: String,
    /// A rule: notify only when it holds.
    #[serde(default)]
    pub when: Option<String>,
    /// What to tell them, in the playbook's languages.
    pub message: Text,
}

/// One stage's key fields and effects as written.
pub(super) struct StageEffects<'a> {
    pub key_fields: &'a [String],
    pub on_enter: &'a [RawEffect],
    pub on_exit: &'a [RawEffect],
}

/// What the effects of a playbook's stages need to check their names and compile their rules.
pub(super) struct Context<'a> {
    pub sandbox: &'a Sandbox,
    pub names: &'a Names<'a>,
    pub roles: &'a [Role],
}

impl Context<'_> {
    /// Checks each stage's key fields and fills its `on_enter` and `on_exit` from what was
    /// written (key fields, on_enter, on_exit), stage by stage.
    pub(super) fn stages(
        &self,
        b: &mut Builder<'_>,
        stages: &mut [Stage],
        written: &[StageEffects<'_>],
    ) {
        for (i, (stage, written)) in stages.iter_mut().zip(written).enumerate() {
            let path = format!("stages[{i}]");
            self.key_fields(b, written.key_fields, &path);
            stage.on_enter = self.effects(b, written.on_enter, &format!("{path}.on_enter"));
            stage.on_exit = self.effects(b, written.on_exit, &format!("{path}.on_exit"));
        }
    }

    fn key_fields(&self, b: &mut Builder<'_>, fields: &[String], path: &str) {
        if fields.len() > MAX_KEY_FIELDS {
            b.error(
                "key-fields",
                &format!("{path}.key_fields[{MAX_KEY_FIELDS}]"),
                format!(
                    "a stage shows at most {MAX_KEY_FIELDS} key fields; this one lists {}",
                    fields.len()
                ),
                Some("keep the five a rep must fill first".to_owned()),
            );
        }
        for (k, field) in fields.iter().enumerate() {
            if self.names.fields.get(field).is_none() {
                b.error(
                    "unknown-field",
                    &format!("{path}.key_fields[{k}]"),
                    format!("`{field}` is not a declared field"),
                    suggest::did_you_mean(field, self.names.fields.keys().map(String::as_str)),
                );
            } else if fields[..k].contains(field) {
                b.error(
                    "duplicate-id",
                    &format!("{path}.key_fields[{k}]"),
                    format!("key field `{field}` is listed twice"),
                    None,
                );
            }
        }
    }

    fn effects(&self, b: &mut Builder<'_>, raw: &[RawEffect], path: &str) -> Vec<EffectRule> {
        let mut effects = Vec::new();
        for (e, effect) in raw.iter().enumerate() {
            let at = format!("{path}[{e}]");
            match (&effect.task, &effect.notify) {
                (Some(task), None) => effects.extend(self.task(b, task, &format!("{at}.task"))),
                (None, Some(notify)) => {
                    effects.extend(self.notify(b, notify, &format!("{at}.notify")));
                }
                (Some(_), Some(_)) => b.error(
                    "effect",
                    &format!("{at}.notify"),
                    "an effect is a `task` or a `notify`, not both".to_owned(),
                    Some("write them as two effects, one under the other".to_owned()),
                ),
                (None, None) => b.error(
                    "effect",
                    &at,
                    "an effect needs `task: {activity, due_days}` or `notify: {role, message}`"
                        .to_owned(),
                    None,
                ),
            }
        }
        effects
    }

    fn task(&self, b: &mut Builder<'_>, task: &RawTask, path: &str) -> Option<EffectRule> {
        let activity = self.names.activities.get(&task.activity).copied();
        if activity.is_none() {
            b.error(
                "unknown-activity",
                &format!("{path}.activity"),
                format!("`{}` is not an activity of this playbook", task.activity),
                suggest::did_you_mean(
                    &task.activity,
                    self.names.activities.keys().map(String::as_str),
                ),
            );
        }
        let assignee = task.assignee.clone().unwrap_or_else(|| OWNER.to_owned());
        let known = self.role(b, &assignee, &format!("{path}.assignee"));
        Some(EffectRule::Task {
            activity: activity.filter(|_| known)?,
            due_days: task.due_days,
            assignee,
        })
    }

    fn notify(&self, b: &mut Builder<'_>, notify: &RawNotify, path: &str) -> Option<EffectRule> {
        let known = self.role(b, &notify.role, &format!("{path}.role"));
        let when = match &notify.when {
            None => None,
            Some(source) => match self.sandbox.compile(source, self.names) {
                Ok(script) => Some(Box::new(script)),
                Err(problems) => {
                    b.script_problems(&format!("{path}.when"), problems);
                    return None;
                }
            },
        };
        known.then(|| EffectRule::Notify {
            role: notify.role.clone(),
            when,
            message: notify.message.clone(),
        })
    }

    /// Whether `role` is `owner` or declared; an `unknown-role` error otherwise.
    fn role(&self, b: &mut Builder<'_>, role: &str, path: &str) -> bool {
        if role == OWNER || self.roles.iter().any(|r| r.id == role) {
            return true;
        }
        let ids = self.roles.iter().map(|r| r.id.as_str()).chain([OWNER]);
        b.error(
            "unknown-role",
            path,
            format!("role `{role}` is not declared under `roles:`"),
            suggest::did_you_mean(role, ids),
        );
        false
    }
}
