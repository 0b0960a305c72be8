//! Checking a playbook's `migrations:`: each comes from an older version, once, and maps onto ids
//! this version has.

use super::builder::Builder;
use super::raw::RawMigration;
use crate::model::Field;
use crate::model::Migration;
use crate::support::ids::IdIndex;
use crate::support::suggest;

/// The ids of this version a migration may map onto.
pub(super) struct Targets<'a> {
    pub stages: &'a IdIndex,
    pub activities: &'a IdIndex,
    pub fields: &'a [Field],
}

/// The checked migrations, in file order.
pub(super) fn migrations(
    b: &mut Builder<'_>,
    raw: &[RawMigration],
    version: u64,
    targets: &Targets<'_>,
) -> Vec<Migration> {
    let mut seen = Vec::new();
    for (i, migration) in raw.iter().enumerate() {
        let path = format!("migrations[{i}]");
        if migration.from >= version {
            b.error(
                "bad-migration",
                &format!("{path}.from"),
                format!(
                    "a migration comes from an older version; this playbook is version {version}"
                ),
                None,
            );
        } else if seen.contains(&migration.from) {
            b.error(
                "bad-migration",
                &format!("{path}.from"),
                format!("a second migration from version {}", migration.from),
                Some("give one migration per older version".to_owned()),
            );
        }
        seen.push(migration.from);
        let stage_ids = || targets.stages.keys().map(String::as_str);
        for (old, new) in &migration.stages.0 {
            if !targets.stages.contains_key(new) {
                b.error(
                    "unknown-stage",
                    &format!("{path}.stages.{old}"),
                    format!("`{new}` is not a stage of this version"),
                    suggest::did_you_mean(new, stage_ids()),
                );
            }
        }
        let activity_ids = || targets.activities.keys().map(String::as_str);
        for (old, new) in &migration.activities.0 {
            if let Some(new) = new
                .as_ref()
                .filter(|n| !targets.activities.contains_key(*n))
            {
                b.error(
                    "unknown-activity",
                    &format!("{path}.activities.{old}"),
                    format!("`{new}` is not an activity of this version"),
                    suggest::did_you_mean(new, activity_ids()),
                );
            }
        }
        let field_ids = || targets.fields.iter().map(|f| f.id.as_str());
        for (old, new) in &migration.fields.0 {
            if let Some(new) = new
                .as_ref()
                .filter(|n| field_ids().all(|f| f != n.as_str()))
            {
                b.error(
                    "unknown-field",
                    &format!("{path}.fields.{old}"),
                    format!("`{new}` is not a field of this version"),
                    suggest::did_you_mean(new, field_ids()),
                );
            }
        }
    }
    raw.iter()
        .map(|m| Migration {
            from: m.from,
            stages: m.stages.0.clone(),
            activities: m.activities.0.clone(),
            fields: m.fields.0.clone(),
        })
        .collect()
}
