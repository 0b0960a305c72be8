//! The playbook graph as a diagram: Mermaid `stateDiagram-v2` or Graphviz DOT, in a stable order.

mod dot;
mod mermaid;

use crate::deal::MoveKind;
use crate::engine::{Evaluation, MoveCheck};
use crate::model::Outcome;
use crate::model::Playbook;
use crate::model::Transition;

/// A diagram language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagramFormat {
    /// Mermaid `stateDiagram-v2` (renders on most code hosts).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// The playbook as a diagram: stage titles in `lang`, move kinds styled apart, gated moves labelled
/// with their criteria, won and terminal stages marked. With an evaluation, the deal's active stages
/// are highlighted and its blocked moves marked with their blockers.
///
/// # Example
///
/// ```
/// use stagegate::analytics::{render_diagram, DiagramFormat};
/// use stagegate::Playbook;
/// let playbook = Playbook::from_yaml(
///     "stagegate: 1\nid: t\nversion: 1\nstages: [{id: open}, {id: won, outcome: won}]\ntransitions: [{from: open, to: won}]\n",
///     "t.yaml",
/// ).unwrap();
/// let text = render_diagram(&playbook, DiagramFormat::Mermaid, "en", None);
/// assert!(text.starts_with("stateDiagram-v2"));
/// assert!(text.contains("open --> won"));
/// ```
pub fn render_diagram(
    playbook: &Playbook,
    format: DiagramFormat,
    lang: &str,
    deal: Option<&Evaluation>,
) -> String {
    let view = View::new(playbook, lang, deal);
    match format {
        DiagramFormat::Mermaid => mermaid::render(&view),
        DiagramFormat::Dot => dot::render(&view),
    }
}

impl Playbook {
    /// The playbook as a diagram, as [`render_diagram`] draws it: stage titles in `lang`, and with
    /// an evaluation, the deal's active stages highlighted and its blocked moves marked.
    ///
    /// # Example
    ///
    /// ```
    /// use stagegate::analytics::DiagramFormat;
    /// use stagegate::Playbook;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let playbook = Playbook::load(concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/b2b-sales.yaml"))?;
    /// let dot = playbook.diagram(DiagramFormat::Dot, "en", None);
    /// assert!(dot.starts_with("digraph"));
    /// assert!(dot.contains("Qualification"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn diagram(&self, format: DiagramFormat, lang: &str, deal: Option<&Evaluation>) -> String {
        render_diagram(self, format, lang, deal)
    }
}

/// What both renderers draw, worked out once.
struct View<'a> {
    name: String,
    stages: Vec<StageView>,
    edges: Vec<EdgeView<'a>>,
    first: Option<String>,
}

struct StageView {
    id: String,
    title: String,
    outcome: Option<Outcome>,
    active: bool,
}

struct EdgeView<'a> {
    transition: &'a Transition,
    /// The ids of the transition's own criteria.
    criteria: Vec<String>,
    /// The deal's check of this move, when a deal is shown.
    check: Option<&'a MoveCheck>,
}

impl<'a> View<'a> {
    fn new(playbook: &'a Playbook, lang: &str, deal: Option<&'a Evaluation>) -> View<'a> {
        let default = playbook.default_language();
        let stages = playbook
            .stages()
            .iter()
            .map(|stage| StageView {
                id: stage.id.clone(),
                title: stage.title_in(lang, default).to_owned(),
                outcome: stage.outcome,
                active: deal.is_some_and(|d| d.stages.contains(&stage.id)),
            })
            .collect();
        let edges = playbook
            .transitions()
            .iter()
            .map(|t| EdgeView {
                transition: t,
                criteria: t.when.iter().map(|c| c.id.clone()).collect(),
                check: deal.and_then(|d| {
                    d.transitions
                        .iter()
                        .find(|check| check.from == t.from && check.to == t.to)
                }),
            })
            .collect();
        View {
            name: playbook.pin(),
            stages,
            edges,
            first: playbook.stages().first().map(|s| s.id.clone()),
        }
    }
}

impl EdgeView<'_> {
    /// The edge's label: its kind (unless an advance), its criteria, and for a deal why it is
    /// blocked.
    fn label(&self, separator: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        let kind = self.transition.kind;
        if self.transition.fork {
            parts.push(format!("fork ({})", kind.as_str()));
        } else if kind != MoveKind::Advance {
            parts.push(kind.as_str().to_owned());
        }
        if !self.criteria.is_empty() {
            parts.push(format!("when {}", self.criteria.join(", ")));
        }
        if let Some(check) = self.check {
            if check.allowed {
                parts.push("allowed".to_owned());
            } else {
                let mut names: Vec<&str> = Vec::new();
                for name in check
                    .blockers
                    .iter()
                    .filter_map(|b| b.criterion.as_deref().or(b.activity.as_deref()))
                {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                parts.push(format!("BLOCKED by {}", names.join(", ")));
            }
        }
        parts.join(separator)
    }

    fn blocked(&self) -> bool {
        self.check.is_some_and(|c| !c.allowed)
    }
}
