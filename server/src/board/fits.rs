//! Each deal's fit to its playbook version (its active stages), kept between board requests: a
//! fit reads the whole deal and its history (`Engine::time_in_stages`), the most of a board
//! request's time per deal, and changes only with the deal's revision, the playbook version loaded
//! and the language of its messages. Kept by deal id with the stored deal and the playbook it was
//! made from (compared by identity: the snapshot stores a changed deal anew, a reload loads a new
//! playbook), so a kept fit is the one a new fit would give. The days in each stage, which change
//! with the clock, are not kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use stagegate::{Engine, Playbook, Timestamp};

use crate::store::Stored;

/// A deal's active stages, in playbook order, or why it does not fit.
pub type Fit = Result<Arc<[String]>, String>;

/// The kept fits, by deal id.
#[derive(Default)]
pub struct Fits {
    held: Mutex<HashMap<String, Kept>>,
}

/// One kept fit and what it was made from.
pub struct Kept {
    stored: Arc<Stored>,
    playbook: Arc<Playbook>,
    lang: String,
    fit: Fit,
}

impl Fits {
    /// The kept fits, for one request.
    pub fn lock(&self) -> MutexGuard<'_, HashMap<String, Kept>> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The fit of `stored` to `playbook` by `engine` (over that playbook): the kept one when it was
/// made from the same stored deal, playbook and language, else made now and kept.
pub fn fit(
    kept: &mut HashMap<String, Kept>,
    stored: &Arc<Stored>,
    playbook: &Arc<Playbook>,
    engine: &Engine,
    at: Timestamp,
) -> Fit {
    let id = stored.deal.id.as_deref().unwrap_or_default();
    if let Some(found) = kept.get(id) {
        if Arc::ptr_eq(&found.stored, stored)
            && Arc::ptr_eq(&found.playbook, playbook)
            && found.lang == engine.language()
        {
            return found.fit.clone();
        }
    }
    let fit: Fit = engine
        .time_in_stages(&stored.deal, at)
        .map(|times| times.into_iter().map(|t| t.stage).collect())
        .map_err(|e| e.to_string());
    // Kept only when made over that very playbook (a reload between the two reads would not be).
    if !std::ptr::eq(Arc::as_ptr(playbook), engine.playbook()) {
        return fit;
    }
    kept.insert(
        id.to_owned(),
        Kept {
            stored: Arc::clone(stored),
            playbook: Arc::clone(playbook),
            lang: engine.language().to_owned(),
            fit: fit.clone(),
        },
    );
    fit
}
