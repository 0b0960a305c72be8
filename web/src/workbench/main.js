// The workbench: the playbook edited, checked, drawn and tested as you type, and a deal tried
// against it, all by the engine compiled to WebAssembly in this page.
import { Playbook, Engine, StagegateError, MoveBlocked, Forbidden } from '../../../bindings/js/index.js';
import { stringify } from 'yaml';
import { playbookEditor, showDiagnostics, goTo } from './editor.js';
import { drawDiagram, staleDiagram, zoomAndPan } from './diagram.js';
import { coverageSentences } from './coverage.js';
import { examplesOf, listExamples } from './examples.js';
import { nowIn, readableIn, todayIn } from './clock.js';
import { titlesOf } from './titles.js';
import { listDiagnostics, listTests, notRun } from './report.js';
import { blockerText, readDeal, showEvaluation, showProblem, showMove } from './sandbox.js';
import { fromService, publish, serviceFiles, servicePins, showPublished } from './service.js';
import { drawDealForm } from './dealform.js';
import { compare, showImpact } from './impact.js';
import { linkTo, viewOf } from './link.js';
import { useWords, w } from './words.js';

let NAME = 'playbook.yaml';
const SAVED = 'stagegate-workbench';
const $ = (id) => document.getElementById(id);

const bundled = await (await fetch('playbooks/b2b-sales.yaml')).text();
// A link's view comes first; else what this browser kept; else the bundled playbook.
const linked = await viewOf(location.hash);
const view = linked instanceof Error || linked === null ? null : linked;
const saved = view ?? JSON.parse(localStorage.getItem(SAVED) ?? '{}');
const state = {
  yaml: typeof saved.yaml === 'string' ? saved.yaml : bundled,
  // Opened from the board: the board's language, unless a link says otherwise.
  lang: (saved.lang ?? (fromService() ? localStorage.getItem('stagegate-board-lang') : null)) === 'ko' ? 'ko' : 'en',
  deal: typeof saved.deal === 'string' ? saved.deal : null,
  engine: null,
  // The playbook as the engine outlines it (stages, fields, roles), from the last text that
  // loaded: the deal's form and the roles are made from it, never from the YAML.
  outline: null,
  // Lookups of titles by id, from the outline: the sandbox speaks in titles.
  titles: titlesOf(null),
  // A view from a link is not written over what this browser kept until something changes.
  keep: view === null,
};
$('lang').value = state.lang;
useWords(state.lang);
if (view) {
  if (typeof view.dealAt === 'string') $('deal-at').value = view.dealAt;
  if (typeof view.testsAt === 'string') $('tests-at').value = view.testsAt;
  $('view-note').hidden = false;
  $('view-note').textContent = w('linked');
} else if (linked instanceof Error) {
  $('view-note').hidden = false;
  $('view-note').textContent = linked.message;
}

// Opened from the board by an admin: the service's playbooks, not the page's own.
const files = fromService() ? await serviceFiles() : null;
let publishedPins = files === null ? [] : await servicePins();
if (files !== null && files.length > 0) {
  state.yaml = files[0].text;
  NAME = files[0].name;
  $('service').hidden = false;
  for (const file of files) {
    const option = document.createElement('option');
    option.textContent = file.name;
    $('service-file').append(option);
  }
}

const editor = playbookEditor($('editor'), state.yaml, (text) => {
  state.yaml = text;
  state.keep = true;
  later(refresh);
});

/** Runs `work` once typing pauses; each kind of work waits on its own pause, so typing a deal
 * does not cancel the playbook's pending refresh. */
const timers = new Map();
function later(work) {
  clearTimeout(timers.get(work));
  timers.set(work, setTimeout(work, 250));
}

function save() {
  if (files !== null || !state.keep) return;
  localStorage.setItem(SAVED, JSON.stringify({ yaml: state.yaml, lang: state.lang, deal: $('deal').value }));
}

/** Everything the playbook shows, again: diagnostics, diagram, tests, the sandbox's deal. */
async function refresh() {
  save();
  const diagnostics = Playbook.checkYaml(state.yaml, NAME);
  showDiagnostics(editor, diagnostics);
  listDiagnostics($('diagnostics'), $('diagnostic-count'), diagnostics, (d) => goTo(editor, d));
  if (diagnostics.some((d) => d.severity === 'error')) {
    state.engine = null;
    $('pin').textContent = 'does not load';
    staleDiagram($('diagram'));
    notRun($('tests'), $('test-count'), $('coverage'), 'The tests run once the playbook loads.');
    showProblem($('evaluation'), 'The deal is evaluated once the playbook loads.');
    return;
  }
  const playbook = Playbook.fromYaml(state.yaml, NAME);
  const note = $('lang-note');
  try {
    state.engine = new Engine(playbook, state.lang);
    note.hidden = true;
  } catch {
    // A playbook without that language answers in its first one, and says so.
    state.engine = new Engine(playbook);
    note.hidden = false;
  }
  state.outline = state.engine.outline();
  state.titles = titlesOf(state.outline);
  setClocks();
  note.textContent = note.hidden ? '' : w('fallback', state.lang, state.outline.languages[0]);
  $('pin').textContent = state.outline.playbook;
  showRoles();
  mark('loaded');
  runTests();
  showExamples();
  evaluateDeal();
  await drawDiagram($('diagram'), state.engine.diagram('mermaid'), $('diagram-legend'));
  mark('drawn');
}

/** The first time the page reaches `step`, in milliseconds since it started (for the tests). */
function mark(step) {
  const key = `${step}Ms`;
  if (document.body.dataset[key] === undefined) document.body.dataset[key] = String(Math.round(performance.now()));
}

/**
 * The times the page evaluates at, when not given (by a link, or by hand): the sandbox's now and
 * the tests' today, on the playbook's clock (as the engine reads a time without a zone).
 */
function setClocks() {
  const zone = state.outline?.time_zone;
  // A time the page wrote (not one typed or linked) follows a playbook on another clock.
  for (const [input, time] of [[$('deal-at'), nowIn], [$('tests-at'), todayIn]]) {
    const ours = input.value === '' || (input.value === input.dataset.auto && zone !== input.dataset.zone);
    if (!ours) continue;
    input.value = time(zone);
    input.dataset.auto = input.value;
    input.dataset.zone = zone;
  }
  $('deal-zone').textContent = zone ? w('nowIn', zone) : '';
}

function runTests() {
  if (state.engine === null) return;
  const at = $('tests-at').value || todayIn(state.outline?.time_zone);
  try {
    const report = state.engine.runTests(at);
    const gaps = coverageSentences(report.coverage, state.outline, state.yaml);
    listTests($('tests'), $('test-count'), $('coverage'), report, gaps, (gap) => goTo(editor, gap));
    mark('tested');
  } catch (e) {
    notRun($('tests'), $('test-count'), $('coverage'), e.message);
  }
}

/** The sandbox's deal as a form made from the outline, drawn again unless the change came from
 * the form itself. */
function drawForm() {
  if (state.outline === null) {
    $('deal-form').replaceChildren(Object.assign(document.createElement('p'), { className: 'problem', textContent: w('formLater') }));
    return;
  }
  // Enum values by their labels (the outline's `values[].title`), their ids where a label is
  // missing or the value is a bare id.
  const fields = state.outline.fields.map((field) => ({
    ...field,
    values: (field.values ?? []).map((v) => (typeof v === 'string' ? { id: v, title: v } : { id: v.id, title: v.title || v.id })),
  }));
  drawDealForm($('deal-form'), fields, $('deal').value, {
    unset: w('unset'), yes: w('yes'), no: w('no'), listHelp: w('listHelp'), notParsed: w('notParsed'),
    notSaved: (field, why) => w('notSaved', field, why),
  }, (text) => {
    $('deal').value = text;
    evaluateDeal(false);
  });
}

function evaluateDeal(formToo = true) {
  save();
  if (formToo) drawForm();
  if (state.engine === null) return;
  const at = $('deal-at').value;
  let deal;
  try {
    deal = readDeal($('deal').value);
  } catch (e) {
    showProblem($('evaluation'), e.message);
    return;
  }
  try {
    showEvaluation($('evaluation'), state.engine.evaluate(deal, at, actor()), (move) => tryMove(deal, move), state.titles);
  } catch (e) {
    if (!(e instanceof StagegateError)) throw e;
    showProblem($('evaluation'), e.message, e.data.problems ?? []);
  }
}

/** The actor of the sandbox's moves: its id and the roles ticked. */
function actor() {
  const roles = [...document.querySelectorAll('#roles input:checked')].map((box) => box.value);
  const id = $('actor').value.trim();
  return id === '' ? undefined : { id, roles };
}

/** The playbook's roles (from the outline) as boxes to tick, each titled (rep ticked at first). */
function showRoles() {
  const ticked = new Set([...document.querySelectorAll('#roles input:checked')].map((box) => box.value));
  if (ticked.size === 0) ticked.add('rep');
  $('roles').replaceChildren(...state.outline.roles.map((role) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = role.id;
    box.checked = ticked.has(role.id);
    box.addEventListener('change', evaluateDeal);
    label.append(box, ` ${role.title}`);
    label.title = role.id;
    return label;
  }));
}

/** Makes `move` on the deal as the sandbox's actor (forced when a reason is given). */
function tryMove(deal, move) {
  const reason = $('force').value.trim();
  const options = { at: $('deal-at').value, actor: actor(), from: move.from };
  if (reason !== '') options.force = reason;
  try {
    const { deal: moved, effects } = state.engine.apply(deal, move.to, options);
    $('deal').value = stringify(moved);
    // A reason forces one move: the next is forced only when a reason is given again.
    $('force').value = '';
    markExample();
    showMove($('moved'), {
      message: w(reason === '' ? 'movedFrom' : 'forcedFrom', state.titles.stage(move.from), state.titles.stage(move.to)),
      effects: effects.map(describeEffect),
    });
    evaluateDeal();
    $('moved').scrollIntoView({ block: 'nearest' });
  } catch (e) {
    if (!(e instanceof StagegateError)) throw e;
    // A forbidden move still lists what blocks it; an approval names who may give it.
    const blockers = e instanceof MoveBlocked ? e.blockers : e instanceof Forbidden ? e.move?.blockers ?? [] : [];
    const reasons = blockers.map((blocker) => blockerText(blocker, state.titles));
    if (e instanceof Forbidden && e.roles) reasons.push(w('whoMay', e.roles.map(state.titles.role).join(', ')));
    showMove($('moved'), { error: true, message: e.message, reasons });
    $('moved').scrollIntoView({ block: 'nearest' });
  }
}

/** An effect of a move in words: what, for whom, by when. */
function describeEffect(effect) {
  const who = effect.assignee ?? (effect.role ? state.titles.role(effect.role) : '');
  const stage = state.titles.stage(effect.stage);
  return effect.kind === 'task'
    ? w('effectTask', state.titles.activity(effect.activity), who, effect.due ? readableIn(effect.due, state.outline?.time_zone, state.lang) : '', effect.on, stage)
    : w('effectNotify', who, effect.message ?? '', effect.on, stage);
}

/** The example the sandbox's deal is, or "your deal" when it is none of them. */
function markExample() {
  const index = examples.findIndex((example) => example.text === $('deal').value);
  $('example').value = index < 0 ? '' : String(index);
}

/**
 * The example deals: the deals of the playbook's own test cases, listed again whenever the
 * playbook changes (none, with a hint how to add one, for a playbook without cases). A sandbox
 * deal that was an example of the playbook before, left as it was, becomes the new playbook's
 * first example (or empty).
 */
let examples = [];
function showExamples() {
  const found = examplesOf(state.yaml);
  if (found === null) return;
  const same = found.length === examples.length && found.every((example, n) => example.text === examples[n].text && example.label === examples[n].label);
  if (same && $('example').options.length > 0) return;
  const wasExample = examples.some((example) => example.text === $('deal').value);
  const kept = found.some((example) => example.text === $('deal').value);
  examples = found;
  listExamples($('example'), $('example-hint'), examples);
  if (wasExample && !kept) $('deal').value = examples[0]?.text ?? '';
  markExample();
}
$('example').addEventListener('change', () => {
  if ($('example').value === '') return;
  $('deal').value = examples[Number($('example').value)].text;
  state.keep = true;
  evaluateDeal();
});

$('lang').addEventListener('change', () => {
  state.lang = $('lang').value;
  useWords(state.lang);
  refresh();
});
$('link').addEventListener('click', async () => {
  const link = await linkTo({
    yaml: state.yaml === bundled ? undefined : state.yaml,
    deal: $('deal').value,
    lang: state.lang,
    dealAt: $('deal-at').value,
    testsAt: $('tests-at').value,
  });
  $('link-box').hidden = false;
  $('link-out').value = link;
  $('link-note').hidden = link.length <= 2000;
  $('link-note').textContent = w('longLink', link.length);
  $('link-out').select();
});
$('impact-bundled').addEventListener('click', () => { $('impact-other').value = bundled; });
$('impact-file').addEventListener('change', async () => {
  const file = $('impact-file').files?.[0];
  if (file) $('impact-other').value = await file.text();
});
$('impact-run').addEventListener('click', () => {
  if ($('impact-other').value.trim() === '') {
    showImpact($('impact'), { error: w('impactEmpty') });
    return;
  }
  if (state.engine === null) {
    showImpact($('impact'), { error: w('impactBroken') });
    return;
  }
  const deals = [...examples.map(({ label, text }) => ({ label, text })), { label: w('sandbox'), text: $('deal').value }];
  showImpact($('impact'), compare(state.engine, $('impact-other').value, deals, $('deal-at').value), state.titles);
});
$('reset').addEventListener('click', () => {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: bundled } });
});
$('service-file').addEventListener('change', () => {
  const file = files?.find((f) => f.name === $('service-file').value);
  if (!file) return;
  NAME = file.name;
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: file.text } });
});
$('publish').addEventListener('click', async () => {
  // A changed text under a version the service already runs changes the rules of the deals pinned
  // to it: said first, and published only when asked again.
  const pin = $('pin').textContent;
  const file = files?.find((f) => f.name === NAME);
  const sameVersion = file && file.text !== state.yaml && publishedPins.includes(pin) && !$('published').dataset.confirmed;
  if (sameVersion) {
    $('published').hidden = false;
    $('published').className = 'error';
    $('published').textContent = w('sameVersion', pin);
    $('published').dataset.confirmed = pin;
    return;
  }
  delete $('published').dataset.confirmed;
  const result = await publish(NAME, state.yaml);
  showPublished($('published'), result);
  if (result.ok && file) file.text = state.yaml;
  if (result.ok) publishedPins = result.playbooks;
});
$('tests-at').addEventListener('change', runTests);
$('deal-at').addEventListener('change', evaluateDeal);
$('deal').addEventListener('input', () => {
  state.keep = true;
  markExample();
  later(evaluateDeal);
});
$('actor').addEventListener('input', () => later(evaluateDeal));

zoomAndPan($('diagram'));
if (state.deal !== null) $('deal').value = state.deal;
await refresh();
if (state.deal === null && $('deal').value === '') {
  $('deal').value = examples[0]?.text ?? '';
  markExample();
}
evaluateDeal();
// Offline once loaded: a service worker keeps the page's files (not in the board's service mode
// alone: there too, the page's own files only).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch((error) => {
    $('view-note').hidden = false;
    $('view-note').textContent = `This page will not work offline: ${error.message}`;
  });
}
document.body.dataset.ready = 'true';
