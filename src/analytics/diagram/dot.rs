//! Graphviz DOT.

use super::View;
use crate::deal::MoveKind;
use crate::model::Outcome;

/// A DOT string literal.
fn quoted(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

pub(super) fn render(view: &View<'_>) -> String {
    let mut out = format!("digraph {} {{\n", quoted(&view.name));
    out.push_str("  rankdir=LR;\n");
    out.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for stage in &view.stages {
        let mut attrs = vec![format!("label={}", quoted(&stage.title))];
        match stage.outcome {
            Some(Outcome::Won) => {
                attrs.push("fillcolor=\"#d4edda\"".to_owned());
                attrs.push("peripheries=2".to_owned());
            }
            Some(Outcome::Lost | Outcome::Churned) => {
                attrs.push("fillcolor=\"#f8d7da\"".to_owned());
                attrs.push("shape=octagon".to_owned());
            }
            None => {}
        }
        if stage.active {
            attrs.push("fillcolor=\"#fff3cd\"".to_owned());
            attrs.push("penwidth=3".to_owned());
        }
        out.push_str(&format!(
            "  {} [{}];\n",
            quoted(&stage.id),
            attrs.join(", ")
        ));
    }
    for edge in &view.edges {
        let t = edge.transition;
        let mut attrs: Vec<String> = Vec::new();
        let label = edge.label("\n");
        if !label.is_empty() {
            attrs.push(format!("label={}", quoted(&label)));
        }
        let style = if t.fork {
            "style=bold, color=\"#2e7d32\", arrowhead=odiamond"
        } else {
            match t.kind {
                MoveKind::Advance => "color=\"#37474f\"",
                MoveKind::Skip => "style=dashed, color=\"#1565c0\"",
                MoveKind::Return => "style=dotted, color=\"#ef6c00\"",
                MoveKind::Exit => "style=dashed, color=\"#c62828\", arrowhead=tee",
            }
        };
        attrs.push(style.to_owned());
        if edge.blocked() {
            attrs.push("color=\"#c62828\", fontcolor=\"#c62828\", penwidth=2".to_owned());
        }
        out.push_str(&format!(
            "  {} -> {} [{}];\n",
            quoted(&t.from),
            quoted(&t.to),
            attrs.join(", ")
        ));
    }
    out.push_str("}\n");
    out
}
