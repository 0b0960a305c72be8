// The panel beside the board: why a move was refused (every blocker, what to fill or do, and
// for those who may, a forced move with its reason), or what a move made set in motion.
import { element } from '../shared/dom.js';
import { t } from './text.js';

/** A stage's, field's or activity's title from the outline, else its id. */
export function titleOf(list, id) {
  return list.find((item) => item.id === id)?.title ?? id;
}

/**
 * A message of the service in words: every id it quotes in backticks (a stage, field, activity,
 * role or approval criterion of `outline`) written as its title, and no backtick left.
 */
export function inWords(message, outline) {
  const named = [
    ...(outline?.stages ?? []), ...(outline?.fields ?? []), ...(outline ? activitiesOf(outline) : []), ...(outline?.roles ?? []),
    ...(outline?.approvals ?? []).map((a) => ({ id: a.criterion, title: a.message })),
  ];
  return String(message ?? '').replace(/`([^`]*)`/g, (_, id) => titleOf(named, id));
}

/** Every activity of the playbook's stages, from the outline. */
export function activitiesOf(outline) {
  return outline.stages.flatMap((stage) => stage.activities);
}

/**
 * What a blocker asks for, with the criteria it is made of (`because`): the fields to fill (and
 * those whose values failed, to change them; an approval's values are no field to change) and the
 * activities to do, each once.
 */
function remedies(blocker, known) {
  const fields = new Set();
  const todo = new Set();
  const walk = (b) => {
    for (const field of b.fields ?? []) fields.add(field);
    if (b.reason !== 'approval_missing') {
      for (const key of Object.keys(b.values ?? {})) if (known.has(key)) fields.add(key);
    }
    if (b.activity) todo.add(b.activity);
    for (const activity of b.activities ?? []) todo.add(activity);
    for (const inner of b.because ?? []) walk(inner);
  };
  walk(blocker);
  return { fields: [...fields], todo: [...todo] };
}

/**
 * The refused move `wanted` ({id, stage, to}) of the service's answer `body`: every blocker, a
 * button to fill each missing field or do each missing activity (`fix(field or activity)`), and
 * the forced move for a user who has a forcing role (`force(reason)`).
 */
export function showRefused(panel, { body, wanted, outline, me, fix, force }) {
  panel.hidden = false;
  panel.className = 'refused';
  const from = titleOf(outline.stages, wanted.stage);
  const to = titleOf(outline.stages, wanted.to);
  const list = element('ul', 'blockers');
  const blockers = body.move?.blockers ?? [];
  for (const blocker of blockers) {
    const item = element('li', '', inWords(blocker.message, outline));
    const { fields, todo } = remedies(blocker, new Set(outline.fields.map((f) => f.id)));
    for (const field of fields) {
      const button = element('button', '', t('fill', titleOf(outline.fields, field)));
      button.type = 'button';
      button.addEventListener('click', () => fix({ field }));
      item.append(' ', button);
    }
    // One activity to do, or any one of several.
    for (const activity of todo) {
      const button = element('button', '', t('doActivity', titleOf(activitiesOf(outline), activity)));
      button.type = 'button';
      button.addEventListener('click', () => fix({ activity }));
      item.append(' ', button);
    }
    list.append(item);
  }
  // The blockers say why, in the reader's language; the service's one-line message only when
  // there are none to list.
  const parts = [element('h2', '', t('refused', from, to)), blockers.length > 0 ? list : element('p', '', inWords(body.message, outline))];
  const forcing = outline.force ?? null;
  const mayForce = forcing === null || forcing.some((role) => me.roles.includes(role));
  const onlyForbidden = blockers.length > 0 && blockers.every((b) => b.reason === 'forbidden');
  if (blockers.length > 0 && !onlyForbidden && mayForce) {
    const form = element('form', 'force');
    form.append(element('h3', '', t('forceTitle')));
    const label = element('label', '', t('reason'));
    const reason = element('textarea');
    reason.id = 'force-reason';
    reason.required = true;
    reason.rows = 2;
    label.append(reason);
    const submit = element('button', '', t('force'));
    submit.type = 'submit';
    form.append(label, submit);
    const missing = element('p', 'error');
    missing.setAttribute('role', 'alert');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (reason.value.trim() === '') {
        missing.textContent = t('giveReason');
        reason.focus();
        return;
      }
      force(reason.value.trim());
    });
    form.append(missing);
    parts.push(form);
  } else if (blockers.length > 0 && !onlyForbidden && forcing !== null) {
    parts.push(element('p', 'may-not-force', t('mayNotForce', forcing.map((role) => titleOf(outline.roles, role)).join(', '))));
  }
  panel.replaceChildren(...parts, closeButton(panel));
}

/** A move made: where to, and every effect it set in motion. */
export function showMoved(panel, { answer, wanted, outline, forced, lang }) {
  panel.hidden = false;
  panel.className = 'moved';
  const from = titleOf(outline.stages, wanted.stage);
  const to = titleOf(outline.stages, wanted.to);
  const effects = answer.effects ?? [];
  const list = element('ul', 'effects');
  for (const effect of effects) {
    const item = element('li', '', describeEffect(effect, outline, lang));
    if (effect.due) item.title = effect.due;
    list.append(item);
  }
  panel.replaceChildren(
    element('h2', '', t(forced ? 'forced' : 'moved', from, to)),
    element('h3', '', t('effects')),
    effects.length > 0 ? list : element('p', '', t('noEffects')),
    closeButton(panel),
  );
}

/** An error of the service that is no refusal. */
export function showError(panel, message) {
  panel.hidden = false;
  panel.className = 'refused';
  panel.replaceChildren(element('p', 'error', message), closeButton(panel));
}

/**
 * A move the service would not even weigh (no transition leads there, the deal is not in the
 * stage it was dragged from, ...): which move, and why in words, the ids it quotes as titles.
 */
export function showNoMove(panel, { message, wanted, outline }) {
  panel.hidden = false;
  panel.className = 'refused';
  const from = titleOf(outline.stages, wanted.stage);
  const to = titleOf(outline.stages, wanted.to);
  const parts = [element('h2', '', t('refused', from, to))];
  const text = String(message ?? '');
  if (/no declared transition/.test(text)) {
    // The engine's wording of old: "no declared transition leads from `a` to `b`; the moves from `a` are ...".
    parts.push(element('p', 'error', t('noWay', from, to)));
    const rest = text.split(';').slice(1).join(';').trim();
    if (rest) parts.push(element('p', '', capitalised(inWords(rest, outline))));
  } else {
    parts.push(element('p', 'error', capitalised(inWords(text, outline))));
  }
  panel.replaceChildren(...parts, closeButton(panel));
}

/** A sentence with its first letter capital and a full stop. */
function capitalised(text) {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const first = trimmed[0].toLocaleUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A time as the reader reads it (in their time zone); the exact time stays on hover. */
export function readableTime(time, lang) {
  const parsed = new Date(time);
  if (Number.isNaN(parsed.getTime())) return time;
  return parsed.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An effect in words: what, for whom, by when, and which stage set it off. */
export function describeEffect(effect, outline, lang) {
  const who = effect.assignee ?? (effect.role ? titleOf(outline.roles, effect.role) : '');
  const stage = titleOf(outline.stages, effect.stage);
  if (effect.kind === 'task') {
    const activity = titleOf(activitiesOf(outline), effect.activity ?? '');
    return t('effectTask', activity, who, effect.due ? readableTime(effect.due, lang) : '', effect.on, stage);
  }
  return t('effectNotify', who, effect.message ?? '', effect.on, stage);
}

function closeButton(panel) {
  const button = element('button', 'close-panel', t('close'));
  button.type = 'button';
  button.addEventListener('click', () => { panel.hidden = true; });
  return button;
}
