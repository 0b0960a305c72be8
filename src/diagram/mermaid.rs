//! Mermaid `stateDiagram-v2`.

use super::View;
use crate::stage::Outcome;

/// Text Mermaid shows as is: no quotes, colons or semicolons, which end a label early.
fn clean(text: &str) -> String {
    text.replace('"', "'")
        .replace([':', ';'], " ")
        .replace('\n', " ")
}

pub(super) fn render(view: &View<'_>) -> String {
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
            stage.id
        ));
    }
    if let Some(first) = &view.first {
        out.push_str(&format!("    [*] --> {first}\n"));
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
            out.push_str(&format!("    {} --> {}\n", t.from, t.to));
        } else {
            out.push_str(&format!("    {} --> {} : {marker}{label}\n", t.from, t.to));
        }
    }
    for stage in &view.stages {
        if stage.active {
            out.push_str(&format!("    class {} active\n", stage.id));
        } else if stage.outcome == Some(Outcome::Won) {
            out.push_str(&format!("    class {} won\n", stage.id));
        } else if matches!(stage.outcome, Some(Outcome::Lost | Outcome::Churned)) {
            out.push_str(&format!("    class {} terminal\n", stage.id));
        }
    }
    out
}
