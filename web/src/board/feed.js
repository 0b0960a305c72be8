// Following the service's change feed (GET /events?after=<id>): every few seconds, the deals
// that changed since the board read them (an event's revision newer than the card's), so the
// board asks again for those cards only, and the columns' totals.
import { call } from '../shared/api.js';

/** How often the feed is read, in milliseconds. */
export const EVERY = 3000;

/**
 * Reads the feed from `pages.after` every `EVERY` ms while `alive()`; `changed(ids)` is called
 * with the deals to read again. `failed(error)` gets what went wrong (the feed is then left).
 */
export function follow(pages, { alive, changed, failed }) {
  let timer = null;
  const read = async () => {
    timer = null;
    if (!alive()) return;
    try {
      const ids = new Set();
      for (;;) {
        const { events, next } = await call('GET', `/events?after=${pages.after}&limit=1000`);
        if (!alive()) return;
        pages.after = next;
        for (const event of events) {
          const held = pages.cards.get(event.deal);
          if (!held || event.revision === undefined || event.revision === null || event.revision > held.revision) ids.add(event.deal);
        }
        if (events.length < 1000) break;
      }
      if (ids.size > 0) await changed([...ids]);
    } catch (error) {
      failed(error);
      return;
    }
    if (alive()) timer = setTimeout(read, EVERY);
  };
  timer = setTimeout(read, EVERY);
  return () => {
    if (timer !== null) clearTimeout(timer);
  };
}
