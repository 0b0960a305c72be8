//! What a message calls a place in a playbook: `stage `qualify`, exit criterion `budget_ok``
//! rather than `stages[1].exit[0]`, so a sales-ops reader knows the place without counting.

use serde_json::Value;

/// The words for a place in the playbook `tree` at `path` (`stages[1].max_days`).
pub(super) fn name(tree: &Value, path: &str) -> String {
    let mut labels: Vec<String> = Vec::new();
    let mut here = Some(tree);
    let mut parent_key = "";
    for segment in segments(path) {
        match segment {
            Segment::Key(key) => {
                here = here.and_then(|v| v.get(key));
                labels.push(match parent_key {
                    "fields" | "scorecards" | "roles" => {
                        format!("{} `{key}`", singular(parent_key))
                    }
                    _ => format!("`{key}`"),
                });
                parent_key = key;
            }
            Segment::Index(i) => {
                let item = here.and_then(|v| v.get(i));
                labels.pop();
                labels.push(item_label(parent_key, i, item));
                here = item;
            }
        }
        // A key holding a map of named things (`fields: { budget: .. }`) names the thing alone.
        if matches!(parent_key, "fields" | "scorecards" | "roles")
            && labels
                .last()
                .is_some_and(|l| l == &format!("`{parent_key}`"))
        {
            labels.pop();
        }
    }
    labels.join(", ")
}

enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

/// `stages[1].exit[0]` as keys and indices.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(close) = rest.find(']') {
            if let Ok(i) = rest[1..close].parse() {
                out.push(Segment::Index(i));
            }
            rest = &rest[close + 1..];
        }
    }
    out
}

/// An item of a list: by its id, a transition by its stages, else by its place (1-based).
fn item_label(list: &str, i: usize, item: Option<&Value>) -> String {
    let text = |key: &str| item.and_then(|v| v.get(key)).and_then(Value::as_str);
    if list == "transitions" {
        match (text("from"), text("to")) {
            (Some(from), Some(to)) => return format!("transition `{from}` → `{to}`"),
            (Some(from), None) => return format!("transition from `{from}`"),
            (None, Some(to)) => return format!("transition to `{to}`"),
            (None, None) => {}
        }
    }
    match text("id") {
        Some(id) => format!("{} `{id}`", singular(list)),
        None => format!("{} #{}", singular(list), i + 1),
    }
}

/// One of the things a list or map of the playbook holds.
fn singular(list: &str) -> &str {
    match list {
        "stages" => "stage",
        "transitions" => "transition",
        "exit" => "exit criterion",
        "entry" => "entry criterion",
        "when" | "all" | "any" => "criterion",
        "activities" => "activity",
        "rules" => "rule",
        "tests" => "test",
        "migrations" => "migration",
        "fields" => "field",
        "scorecards" => "scorecard",
        "roles" => "role",
        "languages" => "language",
        "values" => "value",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::name;

    #[test]
    fn places_are_named_by_ids() {
        let tree = json!({
            "fields": { "budget": { "type": "number" } },
            "scorecards": { "lead": { "rules": [ { "id": "big" }, {} ] } },
            "stages": [ { "id": "open" }, { "id": "qualify", "exit": [ { "id": "budget_ok" }, "x" ] }, {} ],
            "transitions": [ { "from": "open", "to": "qualify" }, { "to": "won" } ],
        });
        for (path, named) in [
            ("stages[1].max_days", "stage `qualify`, `max_days`"),
            (
                "stages[1].exit[0]",
                "stage `qualify`, exit criterion `budget_ok`",
            ),
            ("stages[1].exit[1]", "stage `qualify`, exit criterion #2"),
            ("stages[2]", "stage #3"),
            (
                "transitions[0].kind",
                "transition `open` → `qualify`, `kind`",
            ),
            ("transitions[1]", "transition to `won`"),
            ("fields.budget.type", "field `budget`, `type`"),
            (
                "scorecards.lead.rules[0].when",
                "scorecard `lead`, rule `big`, `when`",
            ),
            ("scorecards.lead.rules[1]", "scorecard `lead`, rule #2"),
            ("version", "`version`"),
        ] {
            assert_eq!(name(&tree, path), named, "{path}");
        }
    }
}
