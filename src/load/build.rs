//! From YAML text to a checked, compiled playbook, collecting every problem on the way.

use super::builder::{is_playbook_id, Builder};
use super::raw::RawPlaybook;
use super::read::MAX_PLAYBOOK_BYTES;
use crate::model::FieldType;
use crate::model::Playbook;
use crate::model::Scorecard;
use crate::script::host::HostFunction;
use crate::script::{FieldKind, Limits, Names, Sandbox};
use crate::support::diagnostic::Diagnostic;
use crate::support::yaml;

/// Loads `text`: the playbook when it has no error, and every diagnostic in file order.
pub(crate) fn build(
    text: &str,
    file: &str,
    limits: Limits,
    host: &[HostFunction],
) -> (Option<Playbook>, Vec<Diagnostic>) {
    let mut b = Builder::new(file, text);
    for function in host {
        if let Some(problem) = crate::script::host_name_problem(&function.name) {
            b.error_whole("host-function", problem);
        }
    }
    if text.len() > MAX_PLAYBOOK_BYTES {
        b.error_whole(
            "too-large",
            format!(
                "the playbook is {} bytes; playbooks are limited to {MAX_PLAYBOOK_BYTES}",
                text.len()
            ),
        );
        return (None, b.diagnostics);
    }
    let (mut tree, repeated) = match yaml::tree_from_str(text) {
        Ok(read) => read,
        Err(error) => {
            let found = super::swapped::deals_in_text(text, file)
                .unwrap_or_else(|| super::yaml_errors::diagnostic(file, text, error));
            b.diagnostics.push(found);
            return (None, b.diagnostics);
        }
    };
    if let Some(deals) = super::swapped::deals_in_tree(&tree, file) {
        b.diagnostics.push(deals);
        return (None, b.diagnostics);
    }
    let duplicates: Vec<(String, crate::support::yaml::Place)> = if repeated {
        b.map().duplicates().to_vec()
    } else {
        Vec::new()
    };
    for (path, place) in duplicates {
        // What was written twice is in doubt: rules reading it are not typed against either.
        b.doubt(&path);
        let (within, key) = match path.rsplit_once('.') {
            Some((map, key)) => (format!("in `{map}`"), key),
            None => ("at the top level".to_owned(), path.as_str()),
        };
        b.error_at(
            "duplicate-key",
            place,
            match b.map().key(&path) {
                Some(first) => format!(
                    "`{key}` is written twice {within} (first at line {}); the second would replace the first",
                    first.line
                ),
                None => {
                    format!("`{key}` is written twice {within}; the second would replace the first")
                }
            },
            Some("keep one of them".to_owned()),
        );
    }
    let problems = crate::support::shape::check_named(&tree, super::schema::schema(), &|path| {
        super::places::name(&tree, path)
    });
    let mut only_unknown_keys = true;
    let mut stripped: Vec<String> = Vec::new();
    for problem in problems {
        if problem.code == "unknown-key" {
            // Set the key aside, so the rest of the playbook is still checked.
            remove_at(&mut tree, &problem.path);
            stripped.push(
                problem
                    .path
                    .rsplit_once('.')
                    .map_or(String::new(), |(p, _)| p.to_owned()),
            );
        } else {
            only_unknown_keys = false;
        }
        if problem.at_key {
            b.error_key(problem.code, &problem.path, problem.message, problem.help);
        } else {
            b.error(problem.code, &problem.path, problem.message, problem.help);
        }
    }
    for parent in stripped.into_iter().filter(|p| !p.is_empty()) {
        b.taint(&parent);
    }
    super::languages::check_texts(&mut b, &tree);
    let shaped = serde_json::from_value::<RawPlaybook>(tree);
    let raw: RawPlaybook = match shaped {
        Ok(raw) if only_unknown_keys => raw,
        Ok(_) | Err(_) if b.has_errors() => {
            b.diagnostics
                .sort_by_key(|d| (d.line == 0, d.line, d.column));
            return (None, b.diagnostics);
        }
        Ok(raw) => raw,
        // The shape check let something through; serde_yaml says where.
        Err(_) => match yaml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => {
                b.diagnostics
                    .push(super::yaml_errors::diagnostic(file, text, error));
                return (None, b.diagnostics);
            }
        },
    };
    let playbook = assemble(&mut b, raw, limits, host);
    b.diagnostics
        .sort_by_key(|d| (d.line == 0, d.line, d.column));
    if b.has_errors() {
        return (None, b.diagnostics);
    }
    let Some(mut playbook) = playbook else {
        return (None, b.diagnostics);
    };
    super::cases::check(&mut b, &playbook);
    b.diagnostics
        .sort_by_key(|d| (d.line == 0, d.line, d.column));
    if b.has_errors() {
        return (None, b.diagnostics);
    }
    playbook.warnings = b.diagnostics.clone();
    (Some(playbook), b.diagnostics)
}

/// The limits for this playbook's rules: its own where it sets them (from 1 up to
/// [`Limits::CEILING`]), never looser than the host's.
fn playbook_limits(
    b: &mut Builder<'_>,
    raw: Option<&super::raw::RawLimits>,
    host: Limits,
) -> Limits {
    let Some(raw) = raw else {
        return host;
    };
    let ceiling = Limits::CEILING;
    let mut pick = |key: &str, asked: Option<u64>, host: u64, most: u64| -> u64 {
        match asked {
            None => host,
            Some(0) => {
                b.error(
                    "out-of-range",
                    &format!("limits.{key}"),
                    format!("limit `{key}` must be at least 1"),
                    None,
                );
                host
            }
            Some(value) if value > most => {
                b.error(
                    "out-of-range",
                    &format!("limits.{key}"),
                    format!("limit `{key}` may be at most {most}, not {value}"),
                    None,
                );
                host
            }
            Some(value) => value.min(host),
        }
    };
    let size = |v: usize| v as u64;
    let back = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    Limits {
        operations: pick(
            "operations",
            raw.operations,
            host.operations,
            ceiling.operations,
        ),
        call_levels: back(pick(
            "call_levels",
            raw.call_levels,
            size(host.call_levels),
            size(ceiling.call_levels),
        )),
        expression_depth: back(pick(
            "expression_depth",
            raw.expression_depth,
            size(host.expression_depth),
            size(ceiling.expression_depth),
        )),
        string_size: back(pick(
            "string_size",
            raw.string_size,
            size(host.string_size),
            size(ceiling.string_size),
        )),
        array_size: back(pick(
            "array_size",
            raw.array_size,
            size(host.array_size),
            size(ceiling.array_size),
        )),
        map_size: back(pick(
            "map_size",
            raw.map_size,
            size(host.map_size),
            size(ceiling.map_size),
        )),
    }
}

/// Removes the map entry at `path` (`stages[0].titel`) from a tree.
fn remove_at(tree: &mut serde_json::Value, path: &str) {
    let (parent, key) = match path.rfind('.') {
        Some(cut) => (&path[..cut], &path[cut + 1..]),
        None => ("", path),
    };
    let mut node = tree;
    for part in parent.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = match part.find('[') {
            Some(cut) => (&part[..cut], &part[cut..]),
            None => (part, ""),
        };
        let Some(next) = node.get_mut(name) else {
            return;
        };
        node = next;
        for index in indices.split(['[', ']']).filter(|i| !i.is_empty()) {
            let Some(next) = index.parse::<usize>().ok().and_then(|i| node.get_mut(i)) else {
                return;
            };
            node = next;
        }
    }
    if let Some(map) = node.as_object_mut() {
        map.shift_remove(key);
    }
}

/// Every check and compilation step; `None` when something could not be built.
fn assemble(
    b: &mut Builder<'_>,
    raw: RawPlaybook,
    limits: Limits,
    host: &[HostFunction],
) -> Option<Playbook> {
    if raw.stagegate != 1 {
        b.error(
            "format-version",
            "stagegate",
            format!(
                "unsupported format version `{}`; this engine reads version 1",
                raw.stagegate
            ),
            Some("write `stagegate: 1`".to_owned()),
        );
    }
    if !is_playbook_id(&raw.id) {
        b.error(
            "bad-id",
            "id",
            format!(
                "playbook id `{}` may use only a-z, 0-9, `_` and `-`",
                raw.id
            ),
            None,
        );
    }
    if raw.version == 0 {
        b.error(
            "bad-version",
            "version",
            "version must be a positive integer".to_owned(),
            None,
        );
    }
    let languages = super::languages::or_default(raw.languages);
    for (i, lang) in languages.iter().enumerate() {
        if languages[..i].contains(lang) {
            b.error(
                "duplicate-id",
                &format!("languages[{i}]"),
                format!("language `{lang}` is listed twice"),
                None,
            );
        }
    }

    let time_zone = match raw.timezone.as_deref().map(crate::support::time::zone) {
        None => jiff::tz::TimeZone::UTC,
        Some(Ok(zone)) => zone,
        Some(Err(message)) => {
            b.error("bad-timezone", "timezone", message, None);
            jiff::tz::TimeZone::UTC
        }
    };

    let transitions_by: Vec<Option<&[String]>> =
        raw.transitions.iter().map(|t| t.by.as_deref()).collect();
    let approval_roles = super::approvals::roles(&raw.stages, &raw.transitions);
    let edit_roles = super::raw::edit_lists(&raw.fields, &raw.stages);
    let (roles, permissions) = super::roles::roles(
        b,
        &raw.roles,
        raw.permissions.as_ref(),
        &transitions_by,
        &approval_roles,
        &edit_roles,
    );

    let fields = super::declarations::fields(b, &raw.fields.0);
    let field_index: crate::support::ids::IdIndex = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.clone(), i))
        .collect();
    let keys = super::headline::Keys {
        value: raw.value.as_ref(),
        currency: raw.currency.as_ref(),
        deal_name: raw.deal_name.as_ref(),
        expected_close: raw.expected_close.as_ref(),
    };
    super::headline::check(b, &keys, &fields, &field_index);

    let (mut stages, activities) = super::declarations::stages(b, &raw.stages);
    let stage_index: crate::support::ids::IdIndex = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let activity_index: crate::support::ids::IdIndex = activities
        .iter()
        .enumerate()
        .map(|(i, &(s, a))| (stages[s].activities[a].id.clone(), i))
        .collect();

    let start = super::roles::start(b, raw.start.as_deref(), &stage_index);
    let sandbox = Sandbox::new(playbook_limits(b, raw.limits.as_ref(), limits), host);
    let card_ids: crate::support::ids::IdIndex = raw
        .scorecards
        .0
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.clone(), i))
        .collect();
    let kinds: Vec<FieldKind> = fields
        .iter()
        .map(|f| {
            if b.is_doubtful(&format!("fields.{}", f.id)) {
                FieldKind::Unknown
            } else {
                field_kind(f)
            }
        })
        .collect();
    let bands: Vec<Vec<String>> = raw
        .scorecards
        .0
        .iter()
        .map(|(_, card)| card.bands.0.iter().map(|(id, _)| id.clone()).collect())
        .collect();
    let names = Names {
        fields: &field_index,
        activities: &activity_index,
        cards: &card_ids,
        stages: &stage_index,
        kinds: &kinds,
        bands: &bands,
    };
    let cards: Vec<Scorecard> = raw
        .scorecards
        .0
        .iter()
        .map(|(id, card)| super::declarations::scorecard(b, &sandbox, &names, id, card))
        .collect();
    let card_order = super::graph::card_order(b, &cards);

    let mut criteria = super::criteria::Criteria::new(&sandbox, &names, &cards);
    for (i, (stage, raw_stage)) in stages.iter_mut().zip(&raw.stages).enumerate() {
        stage.entry = criteria.list(b, &raw_stage.entry, &format!("stages[{i}].entry"), false);
        stage.exit = criteria.list(b, &raw_stage.exit, &format!("stages[{i}].exit"), true);
    }
    let effects = super::effects::Context {
        sandbox: &sandbox,
        names: &names,
        roles: &roles,
    };
    let written: Vec<_> = raw
        .stages
        .iter()
        .map(|s| super::effects::StageEffects {
            key_fields: &s.key_fields,
            on_enter: &s.on_enter,
            on_exit: &s.on_exit,
        })
        .collect();
    effects.stages(b, &mut stages, &written);
    let transitions =
        super::transitions::transitions(b, &mut criteria, &raw.transitions, &stages, &stage_index);
    // Warnings about the graph would only echo errors in it: give them once the errors are fixed.
    if !b.has_errors() {
        super::graph::check(b, &stages, &transitions);
    }
    super::usage::unused_activities(b, &raw.stages, &stages, &activities, &cards, &transitions);
    let targets = super::migrations::Targets {
        stages: &stage_index,
        activities: &activity_index,
        fields: &fields,
    };
    let migrations = super::migrations::migrations(b, &raw.migrations, raw.version, &targets);

    if b.has_errors() {
        return None;
    }
    Some(Playbook {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        description: raw.description,
        languages,
        time_zone,
        roles,
        permissions,
        value: raw.value,
        currency: raw.currency,
        deal_name: raw.deal_name,
        expected_close: raw.expected_close,
        fields,
        fields_by_name: {
            let mut sorted: Vec<(String, usize)> =
                field_index.iter().map(|(id, &i)| (id.clone(), i)).collect();
            sorted.sort_unstable();
            sorted
        },
        field_index,
        cards,
        card_index: card_ids,
        card_order,
        stages,
        stage_index,
        activities,
        activity_index,
        transitions,
        start,
        sandbox,
        tests: raw.tests,
        migrations,
        warnings: Vec::new(),
    })
}

/// What a field holds, as the rule checker types it.
fn field_kind(field: &crate::model::Field) -> FieldKind {
    match field.kind {
        FieldType::Bool => FieldKind::Bool,
        FieldType::Integer => FieldKind::Integer,
        FieldType::Number => FieldKind::Number,
        FieldType::Text => FieldKind::Text,
        FieldType::Date => FieldKind::Date,
        FieldType::Enum => FieldKind::Enum(field.values.clone()),
        FieldType::List => FieldKind::List,
    }
}
