//! Mermaid `stateDiagram-v2`.

use super::View;
use crate::model::Outcome;

/// Text Mermaid shows as is: no quotes, colons or semicolons, which end a label early.
fn clean(text: &str) -> String {
    text.replace('"', "'")
        .replace([':', ';'], " ")
        .replace('\n', " ")
}

/// Words Mermaid's state diagrams reserve.
const RESERVED: &[&str] = &[
    "state",
    "note",
    "direction",
    "class",
    "classDef",
    "end",
    "as",
    "left",
    "right",
    "of",
    "TB",
    "BT",
    "LR",
    "RL",
    "click",
    "style",
    "hide",
    "stateDiagram",
    "stateDiagram-v2",
];

/// A Mermaid id for each stage: the stage id where Mermaid takes it as it is, else made safe
/// (letters, digits and `_`) and unique.
fn ids(view: &View<'_>) -> std::collections::HashMap<String, String> {
    let mut taken: Vec<String> = Vec::new();
    let mut ids = std::collections::HashMap::new();
    for (i, stage) in view.stages.iter().enumerate() {
        let mut id: String = stage
            .id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if id.is_empty() || RESERVED.contains(&id.as_str()) || taken.contains(&id) {
            id = format!("{id}_{i}");
        }
        taken.push(id.clone());
        ids.insert(stage.id.clone(), id);
    }
    ids
}

pub(super) fn render(view: &View<'_>) -> String {
    let ids = ids(view);
    let id = |stage: &str| ids.get(stage).cloned().unwrap_or_else(|| stage.to_owned());
    let mut out = String::from("stateDiagram-v2\n    direction LR\n");
    out.push_str("    classDef won fill:#d4edda,stroke:#2e7d32,stroke-width:2px\n");
    out.push_str("    classDef terminal fill:#f8d7da,stroke:#c62828\n");
    out.push_str("    classDef active fill:#fff3cd,stroke:#f57f17,stroke-width:3px\n");
    for stage in &view.stages {
        let mark = match stage.outcome {
            Some(Outcome::Won) => " ★",
            Some(Outcome::Lost | Outcome::Churned) => " ✕",
            None => "",
        };
        out.push_str(&format!(
            "    state \"{}{mark}\" as {}\n",
            clean(&stage.title),
            id(&stage.id)
        ));
    }
    if let Some(first) = &view.first {
        out.push_str(&format!("    [*] --> {}\n", id(first)));
    }
    for edge in &view.edges {
        let t = edge.transition;
        let label = clean(&edge.label(" · "));
        let marker = if edge.blocked() {
            "✗ "
        } else {
            match (t.fork, t.kind) {
                (true, _) => "",
                (false, crate::MoveKind::Skip) => "⤳ ",
                (false, crate::MoveKind::Return) => "↩ ",
                (false, crate::MoveKind::Exit) => "✕ ",
                (false, crate::MoveKind::Advance) => "",
            }
        };
        if label.is_empty() {
            out.push_str(&format!("    {} --> {}\n", id(&t.from), id(&t.to)));
        } else {
            out.push_str(&format!(
                "    {} --> {} : {marker}{label}\n",
                id(&t.from),
                id(&t.to)
            ));
        }
    }
    for stage in &view.stages {
        if stage.active {
            out.push_str(&format!("    class {} active\n", id(&stage.id)));
        } else if stage.outcome == Some(Outcome::Won) {
            out.push_str(&format!("    class {} won\n", id(&stage.id)));
        } else if matches!(stage.outcome, Some(Outcome::Lost | Outcome::Churned)) {
            out.push_str(&format!("    class {} terminal\n", id(&stage.id)));
        }
    }
    out
}
