//! The deals the board reads, kept in memory between requests and brought up to date from the
//! change feed: every write to a deal records an event in the same transaction (whichever
//! instance made it), so reading the events after the snapshot's position says which deals to
//! read again. A board request then reads a few rows, not every deal (measured:
//! `server/README.md`, "Board at 20,000 deals").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use crate::store::{Store, Stored};

/// Events read from the feed at once while catching up.
const PAGE: i64 = 1000;

/// Past this many changed deals, every deal is read again at once rather than one by one.
const RELOAD_ABOVE: usize = 2000;

/// Every stored deal as of a position of the change feed.
#[derive(Default)]
pub struct Snapshot {
    held: Mutex<Option<Held>>,
}

struct Held {
    /// The feed's position the deals are as new as (or newer).
    position: i64,
    /// The deals, by id.
    deals: BTreeMap<String, Arc<Stored>>,
}

impl Snapshot {
    /// Every deal, in id order, as new as the feed's position answered with (or newer): the first
    /// call reads them all, later ones only those the feed says changed since.
    pub fn read(&self, store: &dyn Store) -> Result<(i64, Vec<Arc<Stored>>), String> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let current = match held.take() {
            Some(before) => caught_up(store, before)?,
            None => loaded(store)?,
        };
        let answer = (current.position, current.deals.values().cloned().collect());
        *held = Some(current);
        Ok(answer)
    }
}

/// Every deal, read at once, and the feed's position read before them.
fn loaded(store: &dyn Store) -> Result<Held, String> {
    let position = store.newest_event()?;
    let deals = store
        .all()?
        .into_iter()
        .map(|stored| (stored.deal.id.clone().unwrap_or_default(), Arc::new(stored)))
        .collect();
    Ok(Held { position, deals })
}

/// `held` with every deal the feed names after its position read again (or dropped when gone).
fn caught_up(store: &dyn Store, mut held: Held) -> Result<Held, String> {
    let mut changed = BTreeSet::new();
    loop {
        let events = store.events(held.position, PAGE)?;
        let Some(last) = events.last() else { break };
        held.position = last.id;
        changed.extend(events.into_iter().map(|event| event.deal));
        if changed.len() > RELOAD_ABOVE {
            return loaded(store);
        }
    }
    for id in changed {
        match store.get(&id)? {
            Some(stored) => held.deals.insert(id, Arc::new(stored)),
            None => held.deals.remove(&id),
        };
    }
    Ok(held)
}
