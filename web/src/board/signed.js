// What the tasks and approvals pages share with the board: its sign-in (the token the board kept
// for the tab), its language, who is signed in, and the playbooks' outlines. A page opened
// signed out links back to the board to sign in.
import { call, session, ServiceError } from '../shared/api.js';
import { useLanguage } from './words.js';

/** The board's key for the chosen language (main.js). */
const LANG = 'stagegate-board-lang';
const outlines = new Map();

/** The page's element `id`. */
export const $ = (id) => document.getElementById(id);

/** The outline of playbook `pin`, asked once. */
export async function outline(pin) {
  if (!outlines.has(pin)) outlines.set(pin, call('GET', `/playbooks/${encodeURIComponent(pin)}/outline`));
  return outlines.get(pin);
}

/** The page signed out: a link to the board, to sign in there. */
function signedOut(why) {
  $('signed-out').hidden = false;
  $('main').hidden = true;
  $('signed-out-why').textContent = why ?? '';
  document.body.dataset.ready = 'signed-out';
}

/**
 * Starts a page in the board's language and as the board's signed-in user: `{id, roles}`, or
 * `null` when nobody is signed in (the page then says so, with a link to the board).
 */
export async function signedIn() {
  session.lang = localStorage.getItem(LANG) ?? (navigator.language.startsWith('ko') ? 'ko' : 'en');
  useLanguage(session.lang);
  if (!session.token) {
    signedOut();
    return null;
  }
  try {
    const me = await call('GET', '/me');
    $('who').textContent = `${me.id} (${me.roles.join(', ')})`;
    $('main').hidden = false;
    return me;
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status !== 401) throw error;
    session.token = null;
    signedOut(error.message);
    return null;
  }
}

/** Runs `n` at a time: `work(item)` for each item; the answers in order. */
export async function few(items, work, n = 6) {
  const answers = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next;
      next += 1;
      answers[at] = await work(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return answers;
}

/** The board's page opened on deal `id`. */
export function dealLink(id) {
  return `/#deal=${encodeURIComponent(id)}`;
}

/** Any failure the page did not expect, said on the page. */
export function failed(error) {
  if (error instanceof ServiceError && error.status === 401) {
    session.token = null;
    signedOut(error.message);
    return;
  }
  const problem = $('problem');
  problem.hidden = false;
  problem.textContent = error instanceof Error ? error.message : String(error);
  document.body.dataset.ready = 'failed';
}
