//! Opening a deal (`Engine::create`) in a start stage, and importing one (`Engine::import`) in
//! any stage or with a history of its own, by those the playbook lets.

use jiff::Timestamp;

use super::change_error::{ChangeError, ChangeProblem};
use super::edit::acting;
use super::permits::{self, Right};
use super::{Actor, Engine, Options};
use crate::deal::{Deal, HistoryEntry};
use crate::model::Playbook;
use crate::support::change_messages::{self, Beyond};
use crate::support::suggest;
use crate::support::time::format_time;

impl Engine {
    /// Opens `deal` at `at`, by the actor of `options`: in a start stage (the stage it names,
    /// which must be one, or the first of `start:`, else the playbook's first stage), owned by
    /// the actor unless it names another owner (which needs `permissions.owner`), with one
    /// creation entry `{ at, to, by }` as its history. A deal that asks for more (another stage,
    /// a history, approvals, tasks or an archive of its own) is an import: made as
    /// [`Engine::import`] when the actor may import, else refused.
    ///
    /// # Errors
    ///
    /// [`ChangeError::Forbidden`] when the actor may not open deals (`permissions.create`), or
    /// asks for an import without `permissions.import`; [`ChangeError::NoActor`];
    /// [`ChangeError::Deal`] for a deal that does not fit the playbook.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::{Actor, ChangeError, Deal, Engine, Options, Playbook};
    /// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
    ///     roles: { rep: {}, manager: {} }\npermissions: { force: [manager] }\n\
    ///     stages: [{id: lead}, {id: won, outcome: won}]\ntransitions: [{from: lead, to: won}]\n", "p.yaml").unwrap();
    /// let engine = Engine::new(playbook).with_language("en");
    /// let at = stagegate::parse_time("2026-11-27T09:00:00Z").unwrap();
    /// let yoon = Actor::new("yoon", ["rep"]);
    /// let deal: Deal = serde_json::from_str(r#"{"id": "D-1"}"#).unwrap();
    /// let opened = engine.create(&deal, at, &Options::new().as_actor(&yoon)).unwrap();
    /// assert_eq!((opened.stages.clone(), opened.owner.as_deref()), (vec!["lead".to_owned()], Some("yoon")));
    /// assert_eq!(opened.history[0].by.as_deref(), Some("yoon"));
    /// // Straight into won: an import, which a rep may not make.
    /// let won: Deal = serde_json::from_str(r#"{"id": "D-2", "stage": "won"}"#).unwrap();
    /// let refused = engine.create(&won, at, &Options::new().as_actor(&yoon)).unwrap_err();
    /// assert_eq!(refused.code(), "not-permitted");
    /// ```
    pub fn create(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Deal, ChangeError> {
        let playbook = self.playbook();
        let lang = self.language();
        let actor = acting(playbook, options)?;
        let mut forbidden: Vec<ChangeProblem> =
            permits::check(playbook, Right::Create, actor, None, "", lang)
                .into_iter()
                .collect();
        let wants_import = import_reasons(playbook, deal, lang);
        if !wants_import.is_empty() {
            if permits::check(playbook, Right::Import, actor, None, "", lang).is_none() {
                if !forbidden.is_empty() {
                    return Err(ChangeError::Forbidden {
                        problems: forbidden,
                    });
                }
                return self.import(deal, at, options);
            }
            for (place, why) in wants_import {
                if let Some(mut problem) =
                    permits::check(playbook, Right::Import, actor, None, &place, lang)
                {
                    problem.message = format!("{place}: {why}; {}", problem.message);
                    forbidden.push(problem);
                }
            }
        }
        let mut opened = deal.clone();
        claim_owner(playbook, &mut opened, actor, &mut forbidden, lang);
        if !forbidden.is_empty() {
            crate::fit::check(playbook, &opened)?;
            return Err(ChangeError::Forbidden {
                problems: forbidden,
            });
        }
        let stage = opened
            .stages
            .first()
            .cloned()
            .unwrap_or_else(|| playbook.first_start().id.clone());
        opened.stages = vec![stage.clone()];
        let mut entry = HistoryEntry::change(format_time(at), actor.map(|a| a.id.clone()));
        entry.to = stage;
        opened.history = vec![entry];
        crate::fit::check(playbook, &opened)?;
        Ok(opened)
    }

    /// Brings in `deal` as it stands elsewhere (a CRM migration) at `at`, by the actor of
    /// `options`, who must hold `permissions.import` (default: the roles of `force`): in any
    /// stage, with its own history, owned by whom it names (the importer when none). Every
    /// entry it brings is marked `imported: true` with `imported_by`; a deal without history
    /// gets one entry per active stage. No entry may be later than `at`; approvals are not
    /// imported (approvers give them).
    ///
    /// # Errors
    ///
    /// [`ChangeError::Forbidden`] without the import role; [`ChangeError::Refused`] with every
    /// entry dated after the import, and for approvals; [`ChangeError::NoActor`];
    /// [`ChangeError::Deal`] for a deal that does not fit the playbook.
    pub fn import(
        &self,
        deal: &Deal,
        at: Timestamp,
        options: &Options<'_>,
    ) -> Result<Deal, ChangeError> {
        let playbook = self.playbook();
        let lang = self.language();
        let actor = acting(playbook, options)?;
        if let Some(problem) = permits::check(playbook, Right::Import, actor, None, "", lang) {
            return Err(ChangeError::Forbidden {
                problems: vec![problem],
            });
        }
        crate::fit::check(playbook, deal)?;
        let now = format_time(at);
        let mut refused = Vec::new();
        for (i, entry) in deal.history.iter().enumerate() {
            if playbook.read_time(&entry.at).is_ok_and(|when| when > at) {
                refused.push(ChangeProblem::refused(
                    "future-history",
                    &format!("history[{i}].at"),
                    format!("history[{i}].at: {} is later than the import ({now}); a history holds only what happened", entry.at),
                ));
            }
        }
        if !deal.approvals.is_empty() {
            let ids: Vec<&str> = deal.approvals.keys().map(String::as_str).collect();
            refused.push(ChangeProblem::refused(
                "approvals-imported",
                "approvals",
                format!("approvals: {} cannot be imported: approvers give them on the deal, where four eyes are checked; leave `approvals` out", suggest::list(&ids)),
            ));
        }
        if !refused.is_empty() {
            return Err(ChangeError::Refused { problems: refused });
        }
        let by = actor.map(|a| a.id.clone());
        let mut imported = deal.clone();
        if imported.owner.is_none() {
            imported.owner.clone_from(&by);
        }
        for entry in &mut imported.history {
            if !entry.imported {
                entry.imported = true;
                entry.imported_by.clone_from(&by);
            }
        }
        if imported.history.is_empty() {
            let stages = if imported.stages.is_empty() {
                vec![playbook.first_start().id.clone()]
            } else {
                imported.stages.clone()
            };
            for stage in &stages {
                let mut entry = HistoryEntry::change(now.clone(), by.clone());
                entry.to.clone_from(stage);
                entry.imported = true;
                entry.imported_by.clone_from(&by);
                imported.history.push(entry);
            }
            imported.stages = stages;
        }
        crate::fit::check(playbook, &imported)?;
        Ok(imported)
    }
}

/// What in `deal` asks for more than opening it in a start stage, each at its place and why.
fn import_reasons(playbook: &Playbook, deal: &Deal, lang: &str) -> Vec<(String, String)> {
    let mut reasons = Vec::new();
    let starts: Vec<&str> = playbook.stage_ids(&playbook.start).collect();
    match deal.stages.as_slice() {
        [] => {}
        [one] if starts.contains(&one.as_str()) => {}
        _ => {
            let default = playbook.default_language();
            let titles: Vec<&str> = playbook
                .start
                .iter()
                .map(|&s| playbook.stages[s].title_in(lang, default))
                .collect();
            reasons.push((
                "stages".to_owned(),
                change_messages::beyond_opening(lang, &Beyond::Stage(&titles)),
            ));
        }
    }
    let more = [
        ("history", !deal.history.is_empty(), Beyond::History),
        ("approvals", !deal.approvals.is_empty(), Beyond::Approvals),
        ("tasks", !deal.tasks.is_empty(), Beyond::Tasks),
        ("archived", deal.archived.is_some(), Beyond::Archived),
    ];
    for (place, asked, why) in more {
        if asked {
            reasons.push((
                place.to_owned(),
                change_messages::beyond_opening(lang, &why),
            ));
        }
    }
    reasons
}

/// The opened deal's owner: the actor unless it names another, which needs the right to give a
/// deal an owner.
fn claim_owner(
    playbook: &Playbook,
    deal: &mut Deal,
    actor: Option<&Actor>,
    forbidden: &mut Vec<ChangeProblem>,
    lang: &str,
) {
    match (&deal.owner, actor) {
        (None, Some(actor)) => deal.owner = Some(actor.id.clone()),
        (Some(owner), Some(actor)) if *owner != actor.id => {
            if let Some(problem) =
                permits::check(playbook, Right::Owner, Some(actor), None, "owner", lang)
            {
                forbidden.push(problem);
            }
        }
        _ => {}
    }
}
