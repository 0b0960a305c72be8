//! What sales-ops run on a playbook, through the contract: its embedded tests, its diagram, and
//! carrying deals over from an older version.

use super::errors::{deal_error, request_error};
use super::problem::Problem;
use super::{json, Contract};
use crate::analytics::DiagramFormat;
use crate::engine::Options;

impl Contract {
    /// The playbook's embedded `tests:`, run as `test --format json` reports them (each case's
    /// `source` names the playbook as it was loaded); cases without `at` are evaluated at `at`.
    ///
    /// # Errors
    ///
    /// A `request` error for an unreadable time.
    pub fn run_tests(&self, at: &str) -> Result<String, String> {
        let at = self.time(at)?;
        let name = self.file.clone();
        let cases: Vec<_> = self
            .engine
            .playbook()
            .tests()
            .iter()
            .map(|case| (name.clone(), case.clone()))
            .collect();
        Ok(json(&self.engine.run_tests(&cases, at)))
    }

    /// The playbook as a diagram, as `graph` draws it: `format` is `mermaid` or `dot`; with a
    /// deal (JSON), its active stages at `at` are highlighted and its blocked moves marked.
    ///
    /// # Errors
    ///
    /// A `request` error for another format, a deal without a time or an unreadable time; a
    /// `deal` error for a deal that does not fit.
    pub fn diagram(
        &self,
        format: &str,
        deal: Option<&str>,
        at: Option<&str>,
    ) -> Result<String, String> {
        let format = match format {
            "mermaid" => DiagramFormat::Mermaid,
            "dot" => DiagramFormat::Dot,
            other => {
                return Err(request_error(&format!(
                    "format: `{other}` is not a diagram format; expected `mermaid` or `dot`"
                )))
            }
        };
        let evaluation = match (deal, at) {
            (None, None) => None,
            (Some(deal), Some(at)) => {
                let deal = self.deal(deal)?;
                let at = self.time(at)?;
                Some(
                    self.engine
                        .evaluate(&deal, at, &Options::new())
                        .map_err(|e| deal_error(&e))?,
                )
            }
            (Some(_), None) => {
                return Err(request_error(
                    "at: a deal on a diagram needs the time to evaluate it at",
                ))
            }
            (None, Some(_)) => {
                return Err(request_error("at: a time without a deal draws nothing"))
            }
        };
        let playbook = self.engine.playbook();
        Ok(playbook.diagram(format, self.engine.language(), evaluation.as_ref()))
    }

    /// A deal pinned to `older` (an earlier version of this playbook) carried to this one by its
    /// `migrations:`, as `migrate --format json` prints it; `actor` (`{"id", "roles"}`) is
    /// recorded as `by`.
    ///
    /// # Errors
    ///
    /// A `request` error when `older` is not an earlier version of this playbook, or for an
    /// unreadable time or actor; a `deal` error for a deal that cannot be migrated.
    pub fn migrate(
        &self,
        older: &Contract,
        deal: &str,
        at: &str,
        actor: Option<&str>,
    ) -> Result<String, String> {
        let (old, new) = (older.engine.playbook(), self.engine.playbook());
        if old.id() != new.id() || old.version() >= new.version() {
            return Err(request_error(&format!(
                "older: {} is not an earlier version of {}",
                old.pin(),
                new.pin()
            )));
        }
        let deal = self.deal(deal)?;
        let at = self.time(at)?;
        let actor = actor.map(|a| self.actor(a)).transpose()?;
        let options = Options::new().as_actor(actor.as_ref());
        let migrated = self.engine.migrate(old, &deal, at, &options);
        migrated
            .map(|moved| json(&moved))
            .map_err(|refused| Problem::from(&refused).to_json())
    }

    /// What changes for a deal between `older` (another version of a playbook, or another
    /// playbook) and this one at `at`, as a line of `impact --format jsonl`: moves newly blocked
    /// or allowed, blocked for other reasons, added or removed, scores and bands changed, the deal
    /// taken by one version only. A pin to either is ignored.
    ///
    /// # Errors
    ///
    /// A `request` error for an unreadable deal or time; a `deal` error when neither version
    /// takes the deal.
    pub fn impact(&self, older: &Contract, deal: &str, at: &str) -> Result<String, String> {
        let deal = self.deal(deal)?;
        let at = self.time(at)?;
        let label = deal.label("deal");
        let mut impact = crate::analytics::impact(&older.engine, &self.engine, &deal, &label, at);
        match impact.refused.take() {
            Some(refused) => Err(deal_error(&refused)),
            None => Ok(json(&impact)),
        }
    }
}
