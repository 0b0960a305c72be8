//! The rules a crate's module graph keeps: no import circle, and, in a crate with layers, every
//! module in a layer and no module importing a layer above its own.

use std::collections::BTreeSet;
use std::fmt;
use std::hash::RandomState;

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

use crate::graph::Graph;

/// A Rust crate of the repository, and its layers.
pub struct Crate {
    /// Its source folder, from the repository's root (`src`, `bindings/python/src`).
    pub folder: &'static str,
    /// Its layers, from the bottom: each a top-level module, which may import its own layer and
    /// those below it. The crate's root (`lib.rs`, `main.rs`) is above every layer. Empty for a
    /// crate without layers, where only circles are checked.
    pub layers: &'static [&'static str],
}

impl Crate {
    /// A crate with layers, from the bottom.
    pub const fn layered(folder: &'static str, layers: &'static [&'static str]) -> Self {
        Crate { folder, layers }
    }

    /// A crate without layers: only circles are checked.
    pub const fn unlayered(folder: &'static str) -> Self {
        Crate {
            folder,
            layers: &[],
        }
    }
}

/// A broken rule.
#[derive(Debug, PartialEq)]
pub enum Problem {
    /// Modules that import each other, around a circle: the modules, and the imports between them
    /// as `a -> b: names`.
    Circle(Vec<String>, Vec<String>),
    /// An import up a layer: from a module in one layer to a module in a higher one.
    Upward {
        /// The importing module and its layer.
        from: (String, String),
        /// The imported module and its layer.
        to: (String, String),
        /// The names taken (`(module)`: the module alone).
        names: String,
    },
    /// A module in no layer of a crate with layers: its name and its top-level module.
    Unlayered(String, String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Circle(modules, imports) => {
                write!(f, "import circle: {}", modules.join(", "))?;
                imports.iter().try_for_each(|import| write!(f, "\n      {import}"))
            }
            Problem::Upward { from, to, names } => write!(
                f,
                "`{}` (layer {}) imports `{}` (layer {}), a layer above its own: {names}",
                from.0, from.1, to.0, to.1
            ),
            Problem::Unlayered(module, top) => write!(
                f,
                "module `{module}` is in no layer: add `{top}` to the crate's layers in tests/layers/main.rs"
            ),
        }
    }
}

/// Every rule `graph` breaks, with `layers` from the bottom (none: circles only).
pub fn problems(graph: &Graph, layers: &[&str]) -> Vec<Problem> {
    let mut problems = circles(graph);
    if layers.is_empty() {
        return problems;
    }
    let top = |module: &str| module.split("::").next().unwrap_or_default().to_string();
    let layer_of = |module: &str| match top(module).as_str() {
        "crate" => Some((layers.len(), "crate root".to_string())),
        top => layers
            .iter()
            .position(|layer| *layer == top)
            .map(|at| (at, top.to_string())),
    };
    for module in graph.modules.keys() {
        if layer_of(module).is_none() {
            problems.push(Problem::Unlayered(module.clone(), top(module)));
        }
    }
    for ((from, to), names) in &graph.imports {
        let (Some(from_layer), Some(to_layer)) = (layer_of(from), layer_of(to)) else {
            continue; // reported above
        };
        if to_layer.0 > from_layer.0 {
            problems.push(Problem::Upward {
                from: (from.clone(), from_layer.1),
                to: (to.clone(), to_layer.1),
                names: names_taken(names),
            });
        }
    }
    problems
}

/// The import circles of `graph` (strongly connected components of more than one module), each
/// with the imports inside it; biggest first.
fn circles(graph: &Graph) -> Vec<Problem> {
    let edges = graph
        .imports
        .keys()
        .map(|(from, to)| (from.as_str(), to.as_str()));
    let mut circles: Vec<Vec<&str>> =
        tarjan_scc(&DiGraphMap::<&str, (), RandomState>::from_edges(edges))
            .into_iter()
            .filter(|component| component.len() > 1)
            .collect();
    circles.iter_mut().for_each(|circle| circle.sort_unstable());
    circles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let circle = |modules: Vec<&str>| {
        let imports = graph.imports.iter();
        let inside = imports.filter(|((from, to), _)| {
            modules.contains(&from.as_str()) && modules.contains(&to.as_str())
        });
        let inside =
            inside.map(|((from, to), names)| format!("{from} -> {to}: {}", names_taken(names)));
        Problem::Circle(
            modules.iter().map(|m| m.to_string()).collect(),
            inside.collect(),
        )
    };
    circles.into_iter().map(circle).collect()
}

/// The names an import takes, for a message: `(module)` for the module alone.
pub fn names_taken(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        return "(module)".to_string();
    }
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}
