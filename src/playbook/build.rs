//! From YAML text to a checked, compiled playbook, collecting every problem on the way.

use std::collections::HashMap;

use super::raw::{RawPlaybook, RawScorecard, RawStage};
use super::{Playbook, MAX_PLAYBOOK_BYTES};
use crate::diagnostic::{Diagnostic, Severity};
use crate::field::{Field, FieldType};
use crate::scorecard::{Rule, Scorecard};
use crate::script::{Limits, Names, Sandbox, ScriptProblem};
use crate::stage::{Activity, Metric, Stage};
use crate::suggest;
use crate::yaml::{self, Place, SourceMap};

/// Collects diagnostics, each placed in the file through the source map.
pub(super) struct Builder<'f> {
    file: &'f str,
    pub map: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        place: Option<Place>,
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = place.map_or((0, 0), |p| (p.line, p.column));
        self.diagnostics.push(Diagnostic {
            severity,
            code,
            message,
            file: self.file.to_owned(),
            line,
            column,
            help,
        });
    }

    /// An error at the value of `path`.
    pub fn error(&mut self, code: &'static str, path: &str, message: String, help: Option<String>) {
        let place = self.map.value(path);
        self.push(Severity::Error, code, place, message, help);
    }

    /// An error at the key of `path`.
    pub fn error_key(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        let place = self.map.key(path);
        self.push(Severity::Error, code, place, message, help);
    }

    /// A warning at the value of `path`.
    pub fn warning(
        &mut self,
        code: &'static str,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        let place = self.map.value(path);
        self.push(Severity::Warning, code, place, message, help);
    }

    /// Problems inside the Rhai expression at `path`.
    pub fn script_problems(&mut self, path: &str, problems: Vec<ScriptProblem>) {
        for problem in problems {
            let place = self
                .map
                .inside(path, problem.line, problem.column)
                .or_else(|| self.map.value(path));
            self.push(
                Severity::Error,
                problem.code,
                place,
                problem.message,
                problem.help,
            );
        }
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// `[a-z0-9_-]+`, the form of a playbook id.
fn is_playbook_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Letters, digits, `_`, `-` and `.`: the form of stage, activity, criterion and band ids.
pub(super) fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

const RHAI_KEYWORDS: &[&str] = &[
    "true",
    "false",
    "let",
    "const",
    "if",
    "else",
    "switch",
    "do",
    "while",
    "loop",
    "until",
    "for",
    "in",
    "continue",
    "break",
    "return",
    "throw",
    "try",
    "catch",
    "fn",
    "private",
    "import",
    "export",
    "as",
    "global",
    "this",
    "type_of",
    "print",
    "debug",
    "eval",
    "call",
    "curry",
    "Fn",
    "is_def_fn",
    "is_def_var",
    "is_shared",
    "static",
    "shared",
    "sync",
    "async",
    "await",
    "var",
    "new",
    "use",
    "with",
    "module",
    "package",
    "super",
    "thread",
    "spawn",
    "go",
    "exit",
    "match",
    "case",
    "public",
    "protected",
    "goto",
    "void",
    "null",
    "nil",
    "default",
];

/// A name rules can use as a variable.
fn is_variable(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RHAI_KEYWORDS.contains(&name)
}

/// Loads `text`: the playbook when it has no error, and every diagnostic in file order.
pub(super) fn build(text: &str, file: &str, limits: Limits) -> (Option<Playbook>, Vec<Diagnostic>) {
    let mut b = Builder {
        file,
        map: SourceMap::default(),
        diagnostics: Vec::new(),
    };
    if text.len() > MAX_PLAYBOOK_BYTES {
        b.error(
            "too-large",
            "",
            format!(
                "the playbook is {} bytes; playbooks are limited to {MAX_PLAYBOOK_BYTES}",
                text.len()
            ),
            None,
        );
        return (None, b.diagnostics);
    }
    let tree: serde_json::Value = match yaml::from_str(text) {
        Ok(tree) => tree,
        Err(error) => {
            b.diagnostics.push(yaml_diagnostic(file, error));
            return (None, b.diagnostics);
        }
    };
    b.map = SourceMap::build(text);
    let problems = super::shape::check(&tree, super::schema::schema());
    if !problems.is_empty() {
        for problem in problems {
            if problem.at_key {
                b.error_key(problem.code, &problem.path, problem.message, problem.help);
            } else {
                b.error(problem.code, &problem.path, problem.message, problem.help);
            }
        }
        b.diagnostics
            .sort_by_key(|d| (d.line == 0, d.line, d.column));
        return (None, b.diagnostics);
    }
    let raw: RawPlaybook = match serde_json::from_value(tree) {
        Ok(raw) => raw,
        // The shape check let something through; serde_yaml says where.
        Err(_) => match yaml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => {
                b.diagnostics.push(yaml_diagnostic(file, error));
                return (None, b.diagnostics);
            }
        },
    };
    let playbook = assemble(&mut b, raw, limits);
    b.diagnostics
        .sort_by_key(|d| (d.line == 0, d.line, d.column));
    if b.has_errors() {
        return (None, b.diagnostics);
    }
    match playbook {
        Some(mut playbook) => {
            playbook.warnings = b.diagnostics.clone();
            (Some(playbook), b.diagnostics)
        }
        None => (None, b.diagnostics),
    }
}

/// A serde_yaml error as a diagnostic, with "did you mean" for a misspelt key.
fn yaml_diagnostic(file: &str, error: yaml::YamlError) -> Diagnostic {
    let message = error.message;
    let (code, message, help) = if let Some(at) = message.find("unknown field `") {
        let rest = &message[at + "unknown field `".len()..];
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = suggest::did_you_mean(name, expected.iter().copied()).or_else(|| {
            (!expected.is_empty()).then(|| format!("allowed keys: {}", expected.join(", ")))
        });
        let place = message[..at].trim_end_matches([' ', ':']);
        let place = if place.is_empty() {
            String::new()
        } else {
            format!("{place}: ")
        };
        ("unknown-key", format!("{place}unknown key `{name}`"), help)
    } else if let Some(at) = message.find("unknown value `") {
        let rest = &message[at + "unknown value `".len()..];
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = suggest::did_you_mean(name, expected.iter().copied());
        ("unknown-value", message.clone(), help)
    } else if message.contains("missing field") {
        (
            "missing-key",
            message.replace("missing field", "missing key"),
            None,
        )
    } else if message.contains("invalid type") || message.contains("invalid value") {
        ("wrong-type", message, None)
    } else if message.contains("recursion limit") {
        (
            "hostile-yaml",
            "the file nests too deep".to_owned(),
            Some("playbooks nest a few levels; look for runaway brackets".to_owned()),
        )
    } else if message.contains("repetition limit") {
        (
            "hostile-yaml",
            "an alias is repeated too often (an alias bomb)".to_owned(),
            Some("write the values out instead of repeating `*alias` references".to_owned()),
        )
    } else {
        ("yaml-syntax", message, None)
    };
    Diagnostic {
        severity: Severity::Error,
        code,
        message,
        file: file.to_owned(),
        // Without a place, the problem is the whole file.
        line: error.line.max(1),
        column: error.column.max(1),
        help,
    }
}

/// Every check and compilation step; `None` when something could not be built.
fn assemble(b: &mut Builder<'_>, raw: RawPlaybook, limits: Limits) -> Option<Playbook> {
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
    let mut languages = raw.languages;
    if languages.is_empty() {
        languages.push("en".to_owned());
    }
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

    let fields = fields(b, &raw.fields.0);
    let field_index: HashMap<String, usize> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.clone(), i))
        .collect();
    if let Some(value) = &raw.value {
        match field_index.get(value).map(|&i| fields[i].kind) {
            Some(FieldType::Number | FieldType::Integer) => {}
            Some(_) => b.error(
                "wrong-type",
                "value",
                format!("`value` must name a number field; `{value}` is not one"),
                None,
            ),
            None => b.error(
                "unknown-field",
                "value",
                format!("`{value}` is not a declared field"),
                suggest::did_you_mean(value, field_index.keys().map(String::as_str)),
            ),
        }
    }

    let (mut stages, activities) = stages(b, &raw.stages);
    let stage_index: HashMap<String, usize> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let activity_index: HashMap<String, usize> = activities
        .iter()
        .enumerate()
        .map(|(i, &(s, a))| (stages[s].activities[a].id.clone(), i))
        .collect();

    let sandbox = Sandbox::new(limits);
    let card_ids: HashMap<String, usize> = raw
        .scorecards
        .0
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id.clone(), i))
        .collect();
    let names = Names {
        fields: &field_index,
        activities: &activity_index,
        cards: &card_ids,
        stages: &stage_index,
    };
    let cards: Vec<Scorecard> = raw
        .scorecards
        .0
        .iter()
        .map(|(id, card)| scorecard(b, &sandbox, &names, id, card))
        .collect();
    let card_order = super::graph::card_order(b, &cards);

    let mut criteria = super::criteria::Criteria::new(&sandbox, &names, &cards);
    for (i, (stage, raw_stage)) in stages.iter_mut().zip(&raw.stages).enumerate() {
        stage.entry = criteria.list(b, &raw_stage.entry, &format!("stages[{i}].entry"));
        stage.exit = criteria.list(b, &raw_stage.exit, &format!("stages[{i}].exit"));
    }
    let transitions =
        super::criteria::transitions(b, &mut criteria, &raw.transitions, &stages, &stage_index);
    super::graph::check(b, &stages, &transitions);
    super::criteria::unused_activities(b, &raw.stages, &stages, &activities, &cards, &transitions);

    if b.has_errors() {
        return None;
    }
    Some(Playbook {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        description: raw.description,
        languages,
        value: raw.value,
        fields,
        field_index,
        cards,
        card_index: card_ids,
        card_order,
        stages,
        stage_index,
        activities,
        activity_index,
        transitions,
        sandbox,
        tests: raw.tests,
        warnings: Vec::new(),
    })
}

fn fields(b: &mut Builder<'_>, raw: &[(String, super::raw::RawField)]) -> Vec<Field> {
    let mut fields = Vec::new();
    for (name, field) in raw {
        let path = format!("fields.{name}");
        if !is_variable(name) {
            b.error_key(
                "bad-id",
                &path,
                format!("field name `{name}` cannot be used in rules"),
                Some(
                    "use letters, digits and `_`, starting with a letter, and no Rhai keyword"
                        .to_owned(),
                ),
            );
        }
        match (field.kind, field.values.is_empty()) {
            (FieldType::Enum, true) => b.error(
                "enum-values",
                &path,
                format!("enum field `{name}` needs `values`"),
                None,
            ),
            (FieldType::Enum, false) => {
                for (i, value) in field.values.iter().enumerate() {
                    if field.values[..i].contains(value) {
                        b.error(
                            "duplicate-id",
                            &format!("{path}.values[{i}]"),
                            format!("value `{value}` is listed twice"),
                            None,
                        );
                    }
                }
            }
            (_, false) => b.error(
                "enum-values",
                &format!("{path}.values"),
                format!("only enum fields take `values`; `{name}` is not an enum"),
                None,
            ),
            (_, true) => {}
        }
        fields.push(Field {
            id: name.clone(),
            kind: field.kind,
            values: field.values.clone(),
            title: field.title.clone(),
        });
    }
    fields
}

fn stages(b: &mut Builder<'_>, raw: &[RawStage]) -> (Vec<Stage>, Vec<(usize, usize)>) {
    let mut stages: Vec<Stage> = Vec::new();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut activities: Vec<(usize, usize)> = Vec::new();
    let mut activity_paths: HashMap<String, String> = HashMap::new();
    if raw.is_empty() {
        b.error(
            "no-stages",
            "stages",
            "a playbook needs at least one stage".to_owned(),
            None,
        );
    }
    for (i, stage) in raw.iter().enumerate() {
        let path = format!("stages[{i}]");
        if !is_id(&stage.id) {
            b.error(
                "bad-id",
                &format!("{path}.id"),
                format!(
                    "stage id `{}` may use only letters, digits, `_`, `-` and `.`",
                    stage.id
                ),
                None,
            );
        }
        if let Some(&first) = first_of.get(stage.id.as_str()) {
            let line = b
                .map
                .value(&format!("stages[{first}].id"))
                .map_or(0, |p| p.line);
            b.error(
                "duplicate-id",
                &format!("{path}.id"),
                format!(
                    "stage `{}` is declared twice (first at line {line})",
                    stage.id
                ),
                None,
            );
        } else {
            first_of.insert(&stage.id, i);
        }
        if let Some(p) = stage.probability {
            if !(0.0..=1.0).contains(&p) {
                b.error(
                    "out-of-range",
                    &format!("{path}.probability"),
                    format!("probability `{p}` must be between 0 and 1"),
                    None,
                );
            }
        }
        let mut own = Vec::new();
        for (j, activity) in stage.activities.iter().enumerate() {
            let apath = format!("{path}.activities[{j}].id");
            if !is_id(&activity.id) {
                b.error(
                    "bad-id",
                    &apath,
                    format!(
                        "activity id `{}` may use only letters, digits, `_`, `-` and `.`",
                        activity.id
                    ),
                    None,
                );
            }
            if let Some(first) = activity_paths.get(&activity.id) {
                let line = b.map.value(first).map_or(0, |p| p.line);
                b.error("duplicate-id", &apath, format!("activity `{}` is declared twice (first at line {line}); activity ids are unique across the playbook", activity.id), None);
            } else {
                activity_paths.insert(activity.id.clone(), apath);
                activities.push((i, own.len()));
            }
            own.push(Activity {
                id: activity.id.clone(),
                title: activity.title.clone(),
                required: activity.required.unwrap_or(false),
            });
        }
        let mut metrics: Vec<Metric> = Vec::new();
        for (j, metric) in stage.metrics.iter().enumerate() {
            if metrics.iter().any(|m| m.id == metric.id) {
                b.error(
                    "duplicate-id",
                    &format!("{path}.metrics[{j}].id"),
                    format!("metric `{}` is listed twice in this stage", metric.id),
                    None,
                );
            }
            metrics.push(Metric {
                id: metric.id.clone(),
                title: metric.title.clone(),
            });
        }
        stages.push(Stage {
            id: stage.id.clone(),
            title: stage.title.clone(),
            journey: stage.journey.clone(),
            activities: own,
            metrics,
            probability: stage.probability,
            max_days: stage.max_days,
            outcome: stage.outcome,
            entry: Vec::new(),
            exit: Vec::new(),
        });
    }
    (stages, activities)
}

fn scorecard(
    b: &mut Builder<'_>,
    sandbox: &Sandbox,
    names: &Names<'_>,
    id: &str,
    raw: &RawScorecard,
) -> Scorecard {
    let path = format!("scorecards.{id}");
    if !is_id(id) {
        b.error_key(
            "bad-id",
            &path,
            format!("scorecard id `{id}` may use only letters, digits, `_`, `-` and `.`"),
            None,
        );
    }
    let mut rules: Vec<Rule> = Vec::new();
    for (j, rule) in raw.rules.iter().enumerate() {
        let rpath = format!("{path}.rules[{j}]");
        if rules.iter().any(|r| r.id == rule.id) || raw.rules[..j].iter().any(|r| r.id == rule.id) {
            b.error(
                "duplicate-id",
                &format!("{rpath}.id"),
                format!("rule `{}` is declared twice in scorecard `{id}`", rule.id),
                None,
            );
        }
        match sandbox.compile(&rule.when, names) {
            Ok(script) => rules.push(Rule {
                id: rule.id.clone(),
                points: rule.points,
                when: script,
            }),
            Err(problems) => b.script_problems(&format!("{rpath}.when"), problems),
        }
    }
    if let (Some(min), Some(max)) = (raw.min, raw.max) {
        if min > max {
            b.error(
                "out-of-range",
                &format!("{path}.min"),
                format!("`min` ({min}) is above `max` ({max})"),
                None,
            );
        }
    }
    let bands = raw.bands.0.clone();
    for pair in bands.windows(2) {
        if pair[1].1 <= pair[0].1 {
            b.error(
                "bands-order",
                &format!("{path}.bands.{}", pair[1].0),
                format!(
                    "bands must ascend: `{}` ({}) is not above `{}` ({})",
                    pair[1].0, pair[1].1, pair[0].0, pair[0].1
                ),
                None,
            );
        }
    }
    Scorecard {
        id: id.to_owned(),
        title: raw.title.clone(),
        rules,
        min: raw.min,
        max: raw.max,
        bands,
    }
}
