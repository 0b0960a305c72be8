// The pipeline board: the server's deals as cards in a column per stage, a page of each column
// at a time with the column's count and sums from the server. Dragging a card asks the server for
// the move; a refused move snaps back and says every reason. What changes afterwards (a move
// made, a deal saved, anyone's change read from the change feed) is asked again for the deals
// that changed only, with the columns' totals: the board is read whole only when it opens, or
// when its playbook, language or filters change.
import { call, session, ServiceError } from '../shared/api.js';
import { drawBoard } from './columns.js';
import { openDeal } from './deal.js';
import { follow } from './feed.js';
import { showNewDeal } from './new-deal.js';
import { Pages } from './pages.js';
import { showError, showMoved, showRefused } from './panel.js';
import { t, useLanguage } from './text.js';

const LANG = 'stagegate-board-lang';
const PLAYBOOK = 'stagegate-board-playbook';
const $ = (id) => document.getElementById(id);
const outlines = new Map();
let me = null;
/** The board as the page holds it (pages.js). */
let pages = null;
/** Stops following the change feed of the board shown. */
let stopFeed = null;
/** The outline of the board's playbook (its columns, fields, roles), from the service. */
let shape = null;

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
  const kept = localStorage.getItem(PLAYBOOK);
  if (kept !== null && ids.includes(kept)) select.value = kept;
  $('playbook-choice').hidden = ids.length < 2;
}

/** The filters of the form above the board. */
function filters() {
  return { owner: $('filter-owner').value.trim(), q: $('filter-q').value.trim() };
}

/** The board from the server: the first page of every column; then the change feed, from there. */
async function load() {
  stopFeed?.();
  const loading = new Pages($('playbook').value, filters());
  await loading.first();
  pages = loading;
  shape = await outline(pages.board.playbook);
  $('pin').textContent = shape.playbook;
  const note = $('language-note');
  note.hidden = shape.languages.includes(session.lang);
  note.textContent = note.hidden ? '' : t('fallback', session.lang, shape.languages[0]);
  draw();
  stopFeed = follow(loading, { alive: () => pages === loading && me !== null, changed: refresh, failed });
}

/** The board as held, drawn. */
function draw() {
  const filtered = Object.values(pages.filters).some(Boolean);
  const total = [...pages.columns.values()].reduce((n, column) => n + column.count, 0);
  $('empty').hidden = filtered || total > 0 || pages.unfit.length > 0;
  drawBoard(pages, shape, { columns: $('columns'), closed: $('closed'), unfit: $('unfit') }, session.lang, {
    open: (card) => open(card.id),
    move,
    more: (stage) => pages.more(stage).then(draw).catch(failed),
  });
}

/** The cards of deals `ids` again, and every column's totals. */
async function refresh(ids) {
  const held = pages;
  await held.refresh(ids);
  if (pages === held) draw();
}

function open(id, focus = null) {
  return openDeal($('deal'), id, { outline, me, focus, changed: () => refresh([id]), move }).catch(failed);
}

/**
 * Asks the service for the move `wanted` ({id, stage, to, revision?}), forced with `reason`
 * when given. Made: the card goes where the move's answer says, then its card and the columns'
 * totals are asked again, and the panel shows the move's effects. Refused: the card stays where
 * it was and the panel lists every blocker.
 */
async function move(wanted, reason) {
  const request = { to: wanted.to, from: wanted.stage };
  if (reason) request.force = reason;
  const playbook = await outline(pages.board.playbook);
  // The answer shows beside the board: a deal the move was asked from is closed first.
  if ($('deal').open) $('deal').close();
  try {
    const answer = await call('POST', `/deals/${encodeURIComponent(wanted.id)}/moves`, request);
    const outlineOf = await outline(answer.deal.playbook);
    const held = pages.cards.get(wanted.id);
    if (held) {
      const stages = answer.deal.stages.map((stage) => held.stages.find((s) => s.stage === stage) ?? { stage });
      pages.place({ ...held, stages, revision: answer.revision });
      draw();
    }
    await refresh([wanted.id]);
    showMoved($('panel'), { answer, wanted, outline: outlineOf, forced: Boolean(reason), lang: session.lang });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error.status === 401) return signedOut(error);
    await refresh([wanted.id]);
    const card = document.querySelector(`.card[data-deal="${CSS.escape(wanted.id)}"][data-stage="${CSS.escape(wanted.stage)}"]`);
    card?.classList.add('snapped');
    if (error.body?.move) {
      showRefused($('panel'), {
        body: error.body,
        wanted,
        outline: playbook,
        me,
        fix: (focus) => open(wanted.id, focus),
        force: (why) => move(wanted, why),
      });
    } else {
      showError($('panel'), error.message);
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
  for (const id of ['sign-out', 'new-deal', 'workbench']) $(id).hidden = true;
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
  $('who').textContent = `${me.id} (${me.roles.join(', ')})`;
  $('workbench').hidden = !me.roles.includes('admin');
  await choosePlaybook();
  await load();
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
  load().catch(failed);
});
$('playbook').addEventListener('change', () => {
  localStorage.setItem(PLAYBOOK, $('playbook').value);
  load().catch(failed);
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
