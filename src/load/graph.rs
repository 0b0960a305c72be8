//! The playbook as a graph (petgraph): scorecard order, and reachability warnings.

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Dfs;

use super::builder::Builder;
use crate::model::Scorecard;
use crate::model::Transition;
use crate::model::{Outcome, Stage};

/// Scorecards ordered so that each comes after the cards its rules read; a cycle is an error.
pub(super) fn card_order(b: &mut Builder<'_>, cards: &[Scorecard]) -> Vec<usize> {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..cards.len()).map(|i| graph.add_node(i)).collect();
    for (i, card) in cards.iter().enumerate() {
        for rule in &card.rules {
            for &read in &rule.when.cards {
                graph.update_edge(nodes[read], nodes[i], ());
            }
        }
    }
    match toposort(&graph, None) {
        Ok(order) => order.into_iter().map(|n| graph[n]).collect(),
        Err(cycle) => {
            let card = &cards[graph[cycle.node_id()]];
            b.error(
                "scorecard-cycle",
                &format!("scorecards.{}", card.id),
                format!(
                    "scorecard `{}` depends on its own score through its rules",
                    card.id
                ),
                Some("a rule may read other scorecards, but not in a circle".to_owned()),
            );
            (0..cards.len()).collect()
        }
    }
}

/// The stage graph, and warnings for stages no deal can reach, cannot leave, or cannot win from
/// (a stage after a won one excepted: a deal there has been won).
pub(super) fn check(b: &mut Builder<'_>, stages: &[Stage], transitions: &[Transition]) {
    let mut graph: DiGraph<usize, usize> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..stages.len()).map(|i| graph.add_node(i)).collect();
    for (i, t) in transitions.iter().enumerate() {
        graph.add_edge(nodes[t.from_index], nodes[t.to_index], i);
    }
    let Some(&first) = nodes.first() else {
        return;
    };
    let mut reachable = vec![false; stages.len()];
    let mut dfs = Dfs::new(&graph, first);
    while let Some(node) = dfs.next(&graph) {
        reachable[graph[node]] = true;
    }
    // Stages from which a won stage can be reached: walk the reversed graph from every won stage.
    let reversed = petgraph::visit::Reversed(&graph);
    let mut can_win = vec![false; stages.len()];
    let any_won = stages.iter().any(|s| s.outcome == Some(Outcome::Won));
    for (i, stage) in stages.iter().enumerate() {
        if stage.outcome == Some(Outcome::Won) && !can_win[i] {
            let mut dfs = Dfs::new(reversed, nodes[i]);
            while let Some(node) = dfs.next(reversed) {
                can_win[graph[node]] = true;
            }
        }
    }
    // Stages a won deal goes on to (onboarding, renewal): reached from a won stage through
    // stages none of which leads to a won one again. A deal there has been won already. (A return
    // from the won stage to an earlier one re-enters the sales path: stages found from there are
    // not after the win.)
    let mut after_won = vec![false; stages.len()];
    let mut next: Vec<NodeIndex> = (0..stages.len())
        .filter(|&i| stages[i].outcome == Some(Outcome::Won))
        .map(|i| nodes[i])
        .collect();
    while let Some(node) = next.pop() {
        for onward in graph.neighbors(node) {
            let i = graph[onward];
            if !can_win[i] && !after_won[i] {
                after_won[i] = true;
                next.push(onward);
            }
        }
    }
    for (i, stage) in stages.iter().enumerate() {
        let path = format!("stages[{i}].id");
        if !reachable[i] {
            b.warning(
                "unreachable-stage",
                &path,
                format!(
                    "stage `{}` cannot be reached from the first stage `{}`",
                    stage.id, stages[0].id
                ),
                Some("add a transition into it, or remove it".to_owned()),
            );
        }
        if stage.is_terminal() {
            continue;
        }
        let leaves = graph.neighbors(nodes[i]).next().is_some();
        // A won stage may end the process: the deal stays won.
        if !leaves && stage.outcome != Some(Outcome::Won) {
            b.warning(
                "dead-end",
                &path,
                format!("stage `{}` has no way out", stage.id),
                Some(
                    "add a transition from it, or mark it `outcome: lost` or `churned`".to_owned(),
                ),
            );
        } else if leaves && any_won && !can_win[i] && !after_won[i] {
            b.warning(
                "no-way-to-win",
                &path,
                format!("no `won` stage can be reached from stage `{}`", stage.id),
                None,
            );
        }
    }
}
