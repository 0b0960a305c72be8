// The pipeline board: the server's deals as cards in a column per stage, a page of each column
// at a time with the column's count and sums from the server. The search, filters and sort are
// kept in the page's address. Dragging a card asks the server for the move; a refused move snaps
// back and says every reason. What changes afterwards (a move made, a deal saved, anyone's change
// read from the service's stream of changes) is asked again for the deals that changed only, with
// the columns' totals, and only their cards are drawn again: the board is read whole only when it
// opens, or when its playbook, language or filters change.
import { call, session, ServiceError } from '../shared/api.js';
import { BoardView } from './columns.js';
import { openDeal } from './deal.js';
import { follow } from './feed.js';
import { boardFilters, fromAddress, narrows, readFind, sameFind, showFind, toAddress } from './find.js';
import { live } from './live.js';
import { showNewDeal } from './new-deal.js';
import { Pages } from './pages.js';
import { showError, showMoved, showNoMove, showRefused } from './panel.js';
import { t, useLanguage } from './text.js';

const LANG = 'stagegate-board-lang';
const PLAYBOOK = 'stagegate-board-playbook';
const $ = (id) => document.getElementById(id);
const outlines = new Map();
let me = null;
/** The board as the page holds it (pages.js). */
let pages = null;
/** Stops following the changes of the board shown. */
let stopFeed = null;
/** The outline of the board's playbook (its columns, fields, roles), from the service. */
let shape = null;
/** The search, filters and sort asked for, as the page's address holds them (find.js). */
let find = fromAddress(location.search);
/** The board drawn (columns.js). */
const view = new BoardView(
  { columns: $('columns'), closed: $('closed'), unfit: $('unfit'), frame: $('board-frame') },
  {
    open: (card) => open(card.id),
    move: (wanted) => move(wanted),
    more: (stage) => (pages ? pages.more(stage).then(() => view.sync()).catch(failed) : Promise.resolve()),
  },
);

session.lang = localStorage.getItem(LANG) ?? (navigator.language.startsWith('ko') ? 'ko' : 'en');
$('lang').value = session.lang;
useLanguage(session.lang);

/** The outline of playbook `pin`, asked once per language. */
async function outline(pin) {
  const key = `${pin} ${session.lang}`;
  if (!outlines.has(key)) outlines.set(key, await call('GET', `/playbooks/${encodeURIComponent(pin)}/outline`));
  return outlines.get(key);
}

/** The playbooks the service runs, by id; a choice when there are several. */
async function choosePlaybook() {
  const { playbooks } = await call('GET', '/playbooks');
  const ids = [...new Set(playbooks.map((pin) => pin.split('@')[0]))];
  const select = $('playbook');
  select.replaceChildren(...ids.map((id) => Object.assign(document.createElement('option'), { value: id, textContent: id })));
  const kept = find.playbook || localStorage.getItem(PLAYBOOK);
  if (kept !== null && ids.includes(kept)) select.value = kept;
  $('playbook-choice').hidden = ids.length < 2;
}

/** The board from the server: the first page of every column; then the stream of changes, from there. */
async function load() {
  stopFeed?.();
  const asking = find;
  const loading = new Pages($('playbook').value, boardFilters(asking, me));
  await loading.first();
  const playbook = await outline(loading.board.playbook);
  loading.closeField = playbook.expected_close ?? null;
  // A newer load started meanwhile (another filter chosen, back pressed): it draws, not this one.
  if (asking !== find || $('playbook').value !== loading.playbook) return;
  pages = loading;
  shape = playbook;
  $('pin').textContent = shape.playbook;
  const note = $('language-note');
  note.hidden = shape.languages.includes(session.lang);
  note.textContent = note.hidden ? '' : t('fallback', session.lang, shape.languages[0]);
  showFind($('filters'), find, shape);
  const total = [...pages.columns.values()].reduce((n, column) => n + column.count, 0);
  $('empty').hidden = narrows(find) || total > 0 || pages.unfit.length > 0;
  view.reset(pages, shape, session.lang);
  document.body.dataset.board = toAddress(find) || '?';
  const alive = () => pages === loading && me !== null;
  const handlers = { alive, changed: refresh, failed };
  stopFeed = live(loading, {
    ...handlers,
    fallback: () => {
      document.body.dataset.live = 'poll';
      stopFeed = follow(loading, handlers);
    },
  });
}

/**
 * Shows the board `next` asks for: written into the address (a new entry of the browser's
 * history, or in place of the current one while typing), then read from the service.
 */
function navigate(next, replace = false) {
  if (sameFind(next, find)) return;
  find = next;
  const address = `${location.pathname}${toAddress(next)}`;
  if (replace) history.replaceState(null, '', address);
  else history.pushState(null, '', address);
  load().catch(failed);
}

/** The form's search, filters and sort, asked for. */
function asked(replace = false) {
  navigate(readFind($('filters'), find.playbook), replace);
}

/** The cards of deals `ids` again, and every column's totals; only what changed is drawn again. */
async function refresh(ids) {
  const held = pages;
  await held.refresh(ids);
  if (pages === held) view.sync();
}

function open(id, focus = null) {
  return openDeal($('deal'), id, { outline, me, focus, changed: () => refresh([id]), move }).catch(failed);
}

/**
 * Asks the service for the move `wanted` ({id, stage, to, revision?}), forced with `reason`
 * when given, and answers from the move's own answer. Made: the card goes where the answer says
 * and the panel shows the move's effects at once; then that deal's card and the columns' totals
 * are asked again. Refused: the card stays where it was and the panel lists every blocker (a
 * refusal that is no blocked move, the deal perhaps changed meanwhile, asks for its card again).
 * `body[data-answered]` counts the answers shown, `body[data-moves]` the moves done with.
 */
async function move(wanted, reason) {
  const request = { to: wanted.to, from: wanted.stage };
  if (reason) request.force = reason;
  const playbook = await outline(pages.board.playbook);
  // The answer shows beside the board: a deal the move was asked from is closed first.
  if ($('deal').open) $('deal').close();
  const answered = () => { document.body.dataset.answered = String(Number(document.body.dataset.answered ?? 0) + 1); };
  try {
    const answer = await call('POST', `/deals/${encodeURIComponent(wanted.id)}/moves`, request);
    const outlineOf = await outline(answer.deal.playbook);
    const held = pages.cards.get(wanted.id);
    if (held) {
      const stages = (answer.deal.stages ?? []).map((stage) => (held.stages ?? []).find((s) => s.stage === stage) ?? { stage, days: 0 });
      pages.place({ ...held, stages, revision: answer.revision });
      view.sync();
    }
    showMoved($('panel'), { answer, wanted, outline: outlineOf, forced: Boolean(reason), lang: session.lang });
    answered();
    await refresh([wanted.id]);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error.status === 401) return signedOut(error);
    const card = document.querySelector(`.card[data-deal="${CSS.escape(wanted.id)}"][data-stage="${CSS.escape(wanted.stage)}"]`);
    card?.classList.add('snapped');
    card?.addEventListener('animationend', () => card.classList.remove('snapped'), { once: true });
    if (error.body?.move) {
      showRefused($('panel'), {
        body: error.body,
        wanted,
        outline: playbook,
        me,
        fix: (focus) => open(wanted.id, focus),
        force: (why) => move(wanted, why),
      });
      answered();
    } else {
      showNoMove($('panel'), { message: error.message, wanted, outline: playbook });
      answered();
      await refresh([wanted.id]);
    }
  }
  document.body.dataset.moves = String(Number(document.body.dataset.moves ?? 0) + 1);
}

function failed(error) {
  if (error instanceof ServiceError && error.status === 401) {
    signedOut(error);
    return;
  }
  showError($('panel'), error instanceof Error ? error.message : String(error));
}

/** The token no longer works (revoked, or a new one given): back to signing in, saying why. */
function signedOut(error) {
  session.token = null;
  me = null;
  stopFeed?.();
  $('main').hidden = true;
  $('panel').hidden = true;
  if ($('deal').open) $('deal').close();
  for (const id of ['sign-out', 'new-deal', 'workbench', 'pages']) $(id).hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = `${t('wrongToken')} ${error.message}`;
}

/** Signed in: who, what they may open, and the board. */
async function start() {
  try {
    me = await call('GET', '/me');
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status !== 401) throw error;
    session.token = null;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = session.tokenTried ? `${t('wrongToken')} ${error.message}` : '';
    return;
  }
  $('sign-in').hidden = true;
  $('main').hidden = false;
  $('sign-out').hidden = false;
  $('new-deal').hidden = false;
  $('pages').hidden = false;
  $('who').textContent = `${me.id} (${me.roles.join(', ')})`;
  $('workbench').hidden = !me.roles.includes('admin');
  await choosePlaybook();
  // A board the service refuses (an address asking for a sort the playbook cannot take, ...)
  // says why beside the form, which stays to choose another.
  await load().catch(failed);
  document.body.dataset.ready = 'true';
  openLinked();
}

/** The deal a link names (`#deal=<id>`: the tasks and approvals pages link so), opened. */
function openLinked() {
  const wanted = new URLSearchParams(location.hash.slice(1)).get('deal');
  if (wanted) open(wanted);
}
window.addEventListener('hashchange', () => { if (me !== null) openLinked(); });

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  session.token = $('token').value.trim();
  session.tokenTried = true;
  start().catch(failed);
});
$('new-deal').addEventListener('click', () => {
  if (shape !== null) showNewDeal($('panel'), shape, async (id) => { await refresh([id]); await open(id); });
});
$('sign-out').addEventListener('click', () => {
  session.token = null;
  location.reload();
});
$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  asked();
});
$('filters').addEventListener('change', (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  if (target.id === 'filter-mine') {
    $('filter-owner').disabled = $('filter-mine').checked;
    if ($('filter-mine').checked) $('filter-owner').value = '';
  }
  // Text fields ask when typed into (below) or submitted; boxes and the sort at once.
  if (target.id !== 'filter-q' && target.id !== 'filter-owner') asked();
});
let typing = null;
for (const id of ['filter-q', 'filter-owner']) {
  $(id).addEventListener('input', () => {
    if (typing !== null) clearTimeout(typing);
    typing = setTimeout(() => { typing = null; asked(true); }, 350);
  });
}
$('filter-clear').addEventListener('click', () => {
  navigate({ playbook: find.playbook, q: '', owner: '', stalled: '', overdue: '', approval: '', sort: '' });
});
window.addEventListener('popstate', () => {
  find = fromAddress(location.search);
  if (find.playbook && [...$('playbook').options].some((o) => o.value === find.playbook)) $('playbook').value = find.playbook;
  if (me !== null) load().catch(failed);
});
$('scroll-right').addEventListener('click', () => {
  const columns = $('columns');
  columns.scrollBy({ left: columns.clientWidth * 0.8, behavior: 'smooth' });
});
$('playbook').addEventListener('change', () => {
  localStorage.setItem(PLAYBOOK, $('playbook').value);
  // Another playbook's board: its own sorts; the search and filters stay.
  navigate({ ...find, playbook: $('playbook').value, sort: find.sort.startsWith('field:') ? '' : find.sort });
});
$('lang').addEventListener('change', () => {
  session.lang = $('lang').value;
  localStorage.setItem(LANG, session.lang);
  useLanguage(session.lang);
  if (me !== null) load().catch(failed);
});

if (session.token) {
  start().catch(failed);
} else {
  $('sign-in').hidden = false;
  document.body.dataset.ready = 'signed-out';
}
