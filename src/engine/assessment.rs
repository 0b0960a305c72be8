//! `Assessment`: a deal's evaluation with what a pipeline board's card and a coverage run also
//! read, from the one evaluation of the deal.

use super::evaluation::Evaluation;
use super::stage_time::StageTime;

/// A deal's [`Evaluation`], its time in each active stage, and (when asked for) every criterion
/// and rule outcome: everything [`Engine::assess`](super::Engine::assess) works out while the
/// deal is fitted to its playbook once.
///
/// # Example
///
/// ```
/// use stagegate::{Deal, Engine, Options, Playbook};
/// let playbook = Playbook::from_yaml("stagegate: 1\nid: p\nversion: 1\n\
///     fields: { budget: { type: number } }\n\
///     stages: [{id: qualify, max_days: 30, exit: [{id: funded, when: 'budget > 0'}]}, {id: propose}]\n\
///     transitions: [{from: qualify, to: propose}]\n", "p.yaml").unwrap();
/// let deal: Deal = serde_json::from_str(r#"{"stages": ["qualify"], "fields": {"budget": 10},
///     "history": [{"at": "2026-11-01T09:00:00Z", "to": "qualify"}]}"#).unwrap();
/// let at = stagegate::parse_time("2026-11-11T08:59:59Z").unwrap();
/// let engine = Engine::new(playbook);
/// let card = engine.assess(&deal, at, &Options::new().traced()).unwrap();
/// assert!(card.evaluation.transitions[0].allowed);
/// assert_eq!((card.stage_times[0].stage.as_str(), card.stage_times[0].days), ("qualify", Some(9)));
/// assert_eq!(card.trace, [("funded".to_owned(), true)]);
/// // The same answers as the calls that each fit the deal again.
/// assert_eq!(card.evaluation, engine.evaluate(&deal, at, &Options::new()).unwrap());
/// assert_eq!(card.stage_times, engine.time_in_stages(&deal, at).unwrap());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Assessment {
    /// The evaluation, as [`Engine::evaluate`](super::Engine::evaluate) gives it.
    pub evaluation: Evaluation,
    /// Each active stage and the deal's time there, as
    /// [`Engine::time_in_stages`](super::Engine::time_in_stages) gives them.
    pub stage_times: Vec<StageTime>,
    /// With [`Options::traced`](super::Options::traced): every criterion and rule outcome (id,
    /// held), in the order they were checked; empty otherwise.
    pub trace: Vec<(String, bool)>,
}
