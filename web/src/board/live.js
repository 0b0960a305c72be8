// The board kept live: the service's stream of changes (GET /events/stream, Server-Sent Events)
// read with a streamed fetch, so the token travels in the Authorization header and never in an
// address. Every change to a deal the board holds at an older revision (or does not hold: it may
// enter a column) is asked again, its card alone with the columns' totals. A dropped stream is
// opened again after a pause that grows (up to 15 s), resuming after the last event read
// (`after` and Last-Event-ID); a service without the stream (404) is read by the change feed's
// poll instead (feed.js).
import { ServiceError, session } from '../shared/api.js';

/** The longest pause before opening the stream again, in milliseconds. */
const LONGEST = 15000;
/** How long changes arriving together are gathered before their cards are asked, in milliseconds. */
const GATHER = 40;

/**
 * Parses a `text/event-stream` as it arrives: `push(text)` takes the next piece of text and
 * calls `event({id, event, data})` for each event completed (comments and retry lines skipped).
 */
export function eventParser(event) {
  let buffer = '';
  let id = null;
  let kind = 'message';
  let data = [];
  const line = (text) => {
    if (text === '') {
      if (data.length > 0) event({ id, event: kind, data: data.join('\n') });
      kind = 'message';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') id = value;
    else if (field === 'event') kind = value;
    else if (field === 'data') data.push(value);
  };
  return (text) => {
    buffer += text;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      const next = buffer[end] === '\r' && buffer[end + 1] === '\n' ? end + 2 : end + 1;
      // A lone \r at the end of a piece may be the start of \r\n: wait for the next piece.
      if (buffer[end] === '\r' && end + 1 === buffer.length) break;
      line(buffer.slice(0, end));
      buffer = buffer.slice(next);
    }
  };
}

/**
 * Follows the stream from `pages.after` while `alive()`: `changed(ids)` is called with the deals
 * to read again; `failed(error)` with a refusal of the token (the stream is then left);
 * `fallback()` when the service has no stream. Answers a function that stops following.
 */
export function live(pages, { alive, changed, failed, fallback }) {
  const stop = new AbortController();
  const pending = new Set();
  let timer = null;
  let pause = 500;
  let lastId = null;
  const running = () => alive() && !stop.signal.aborted;
  const flush = () => {
    timer = null;
    if (!running() || pending.size === 0) return;
    const ids = [...pending];
    pending.clear();
    changed(ids).catch(failed);
  };
  const take = ({ id, event, data }) => {
    if (id !== null) lastId = id;
    if (event !== 'change') return;
    let change;
    try {
      change = JSON.parse(data);
    } catch {
      return;
    }
    const number = Number(id ?? change.id);
    if (Number.isFinite(number) && number > pages.after) pages.after = number;
    if (typeof change.deal !== 'string') return;
    const held = pages.cards.get(change.deal);
    if (held && typeof change.revision === 'number' && change.revision <= held.revision) return;
    pending.add(change.deal);
    if (timer === null) timer = setTimeout(flush, GATHER);
  };
  const connect = async () => {
    while (running()) {
      try {
        const headers = { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' };
        if (lastId !== null) headers['Last-Event-ID'] = lastId;
        // The stream takes `after` alone: its events carry no words of a language.
        const url = `/events/stream?after=${pages.after}`;
        const response = await fetch(url, { headers, signal: stop.signal, cache: 'no-store' });
        // No stream (a service without it: 404), or one that will not take this request (400):
        // the change feed's poll instead.
        if (response.status === 404 || response.status === 400) {
          if (running()) fallback();
          return;
        }
        if (response.status === 401 || response.status === 403) {
          const body = await response.json().catch(() => null);
          if (running()) failed(new ServiceError(response.status, body));
          return;
        }
        if (!response.ok || response.body === null) throw new Error(`the stream answered ${response.status}`);
        document.body.dataset.live = 'stream';
        pause = 500;
        const parse = eventParser(take);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
      } catch {
        // A dropped connection: opened again below, after the pause.
      }
      if (!running()) return;
      document.body.dataset.live = 'reconnecting';
      await new Promise((resolve) => { setTimeout(resolve, pause); });
      pause = Math.min(pause * 2, LONGEST);
    }
  };
  connect();
  return () => {
    stop.abort();
    if (timer !== null) clearTimeout(timer);
  };
}
