// A deal opened from the board: what it is (name, owner, amount, archived), its scores, its
// fields (a form made from the playbook's outline, a row per field), its activities, next steps
// and approvals, its moves and its history, in the playbook's titles and the reader's language.
// Any deal the service holds opens: one with no stages (the playbook's first stage), no history,
// no activities, imported, archived, or in two stages at once.
import { call, ServiceError } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { fieldChanged, fieldRow, fieldValue } from '../shared/fields.js';
import { isToday, money, shortDate, shortTime } from '../shared/format.js';
import { approvalsSection, approvedByMe } from './deal-approvals.js';
import { historySection } from './deal-history.js';
import { activitiesOf, titleOf } from './panel.js';
import { t } from './text.js';
import { say } from './words.js';

/** Today, as a date. */
function today() {
  return new Date().toISOString().slice(0, 10);
}

/** The deal's active stages: its own, else (none recorded) those the evaluation reads. */
function activeStages(deal, evaluation) {
  return Array.isArray(deal.stages) && deal.stages.length > 0 ? deal.stages : (evaluation.stages ?? []);
}

/** The deal's name, from the playbook's `deal_name` field, when it has one. */
export function dealName(deal, outline) {
  const name = outline.deal_name ? deal.fields?.[outline.deal_name] : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name : null;
}

/**
 * Opens deal `id` in `dialog`; `focus` ({field} or {activity}) is put in view and focused.
 * `changed()` is called after every write; `move(wanted)` makes a move as the board does.
 */
export async function openDeal(dialog, id, { outline, me, focus, changed, move }) {
  const body = dialog.querySelector('#deal-body');
  const answer = await call('GET', `/deals/${encodeURIComponent(id)}`);
  const deal = answer.deal ?? {};
  const revision = answer.revision;
  // A deal the engine cannot evaluate (it no longer fits its playbook) still opens, saying why.
  const unreadable = answer.evaluation?.error ?? null;
  const evaluation = unreadable === null ? (answer.evaluation ?? {}) : {};
  const outlineOf = await outline(deal.playbook ?? evaluation.playbook);
  const lang = document.documentElement.lang;
  const stages = activeStages(deal, evaluation);
  const name = dealName(deal, outlineOf);
  const where = stages.length > 0 ? stages.map((s) => titleOf(outlineOf.stages, s)).join(', ') : say('noStage');
  dialog.querySelector('#deal-title').textContent = `${deal.id ?? id}${name ? ` · ${name}` : ''} · ${where}`;
  const status = element('p', '', '');
  status.setAttribute('role', 'status');
  /** The deal shown again after `change` was made, saying `done`. */
  const again = async (done) => {
    await changed();
    await openDeal(dialog, id, { outline, me, focus: null, changed, move });
    dialog.querySelector('#deal-body [role="status"]').textContent = done;
  };
  const write = async (change) => {
    try {
      await call('PATCH', `/deals/${encodeURIComponent(id)}`, { revision, ...change });
      await again(t('saved'));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (error.status === 409 && error.body?.error === 'conflict') {
        await again(t('changedMeanwhile'));
        return;
      }
      status.classList.add('error');
      status.textContent = [error.message, ...(error.body?.problems ?? [])].join(' · ');
    }
  };

  const parts = [...summary(deal, answer.owner, outlineOf, lang, unreadable), ...scores(evaluation, outlineOf)];
  parts.push(...fieldsForm(deal, outlineOf, status, write));
  parts.push(...activitiesList(deal, stages, outlineOf, focus, lang, write));
  parts.push(...nextSteps(evaluation, outlineOf, lang));
  parts.push(...approvalsSection({ id, deal, owner: answer.owner ?? deal.owner, evaluation, outline: outlineOf, me, revision, lang, again, status }));
  parts.push(...moves(evaluation, deal, outlineOf, me, id, move));
  parts.push(...historySection(deal, outlineOf, lang));
  // What a save or an approval did stays in sight at the bottom of the deal.
  status.classList.add('status');
  parts.push(status);
  body.replaceChildren(...parts);
  if (!dialog.open) dialog.showModal();
  const target = focus?.field ? `#field-${focus.field}` : focus?.activity ? `#activity-${focus.activity}` : null;
  if (target) body.querySelector(target)?.focus();
}

/** Who owns the deal, its amount in the playbook's currency, and whether it is archived. */
function summary(deal, owner, outline, lang, unreadable) {
  const facts = [];
  const who = owner ?? deal.owner;
  if (who) facts.push(say('ownerIs', who));
  const value = outline.value_field ? deal.fields?.[outline.value_field] : undefined;
  if (typeof value === 'number') facts.push(`${titleOf(outline.fields ?? [], outline.value_field)}: ${money(value, outline.currency, lang)}`);
  const parts = facts.length > 0 ? [element('p', 'summary', facts.join(' · '))] : [];
  if (deal.archived) {
    const archived = element('p', 'note archived', say('archivedNote', deal.archived.by ?? '', shortTime(deal.archived.at, lang), deal.archived.reason ?? ''));
    parts.push(archived);
  }
  if (unreadable !== null) parts.push(element('p', 'note', say('cannotEvaluate', unreadable)));
  return parts;
}

/** Each scorecard by its title, with its total and band. */
function scores(evaluation, outline) {
  const rows = Object.entries(evaluation.scores ?? {}).map(([id, score]) => {
    const row = element('tr');
    row.append(element('td', '', titleOf(outline.scorecards ?? [], id)), element('td', '', String(score.total)), element('td', '', score.band ?? ''));
    return row;
  });
  if (rows.length === 0) return [];
  const table = element('table');
  table.append(...rows);
  return [element('h3', '', t('scores')), table];
}

/** The fields as a form, a row per field of the outline; a change saved with `write`. */
function fieldsForm(deal, outline, status, write) {
  const form = element('form', 'fields');
  // Checked here, so that the reason is written where the deal shows what happened.
  form.noValidate = true;
  const words = { unset: t('unset'), yes: t('yes'), no: t('no'), listHelp: t('listHelp') };
  const fields = outline.fields ?? [];
  for (const field of fields) form.append(fieldRow(field, deal.fields?.[field.id], words).row);
  const save = element('button', '', t('save'));
  save.type = 'submit';
  form.append(save);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const changes = {};
    for (const field of fields) {
      const made = form.elements.namedItem(field.id);
      // A number the browser could not read holds '' (which would remove the field), a whole
      // number with a fraction is no whole number: nothing is saved, and the field says why.
      if (made.validity && !made.validity.valid) {
        status.classList.add('error');
        status.textContent = t('notSaved', field.title, made.validationMessage);
        made.focus();
        return;
      }
      if (fieldChanged(made)) changes[field.id] = fieldValue(field, made.value);
    }
    if (Object.keys(changes).length > 0) write({ fields: changes });
  });
  return [element('h3', '', t('fields')), form];
}

/** When an activity was done, and by whom: a date, a time, `true`, or `{at, by}`. */
function doneWords(done, lang) {
  if (done === true) return t('done');
  if (typeof done === 'string') return say('doneOn', shortDate(done, lang), '');
  if (done && typeof done === 'object') return say('doneOn', shortDate(done.at, lang), done.by ?? '');
  return '';
}

/** The activities of the active stages to tick, and one a refusal asked for from another stage. */
function activitiesList(deal, stages, outline, focus, lang, write) {
  const shown = (outline.stages ?? []).filter((s) => stages.includes(s.id)).flatMap((s) => s.activities ?? []);
  const asked = activitiesOf(outline).find((a) => a.id === focus?.activity);
  if (asked && !shown.some((a) => a.id === asked.id)) shown.push(asked);
  if (shown.length === 0) return [element('h3', '', t('activities')), element('p', 'legend', say('noActivities'))];
  const list = element('ul', 'activities');
  for (const activity of shown) {
    const item = element('li');
    const box = element('input');
    box.type = 'checkbox';
    box.id = `activity-${activity.id}`;
    const done = deal.activities?.[activity.id];
    box.checked = done !== undefined && done !== null && done !== false;
    box.addEventListener('change', () => write({ activities: { [activity.id]: box.checked ? today() : null } }));
    const label = element('label', '', `${activity.title}${activity.required ? ' *' : ''}`);
    label.htmlFor = box.id;
    item.append(box, ' ', label);
    if (box.checked) item.append(' ', element('span', 'done', doneWords(done, lang)));
    list.append(item);
  }
  return [element('h3', '', t('activities')), list, element('p', 'legend', t('required'))];
}

/** A task's due time in words: "due Dec 9", "due today", "3 days overdue". */
export function dueWords(due, overdueDays, lang) {
  if (overdueDays > 0) return say('overdueBy', overdueDays);
  if (isToday(due)) return say('dueToday');
  return say('dueOn', shortDate(due, lang));
}

/** What to do next in each active stage: guidance, key fields to fill, activities and when due. */
function nextSteps(evaluation, outline, lang) {
  const steps = (evaluation.next_steps ?? []).filter((step) => step.guidance || step.key_fields?.length || step.activities?.length);
  if (steps.length === 0) return [];
  const list = element('ul', 'next-steps');
  for (const step of steps) {
    const item = element('li', '', titleOf(outline.stages ?? [], step.stage));
    const inner = element('ul');
    if (step.guidance) inner.append(element('li', '', step.guidance));
    if (step.key_fields?.length) inner.append(element('li', '', say('keyFields', step.key_fields.map((f) => titleOf(outline.fields ?? [], f)).join(', '))));
    for (const activity of step.activities ?? []) {
      const title = activitiesOf(outline).find((a) => a.id === activity.activity)?.title ?? activity.title;
      const line = element('li', activity.overdue_days ? 'late' : '', activity.due ? `${title} · ${dueWords(activity.due, activity.overdue_days, lang)}` : title);
      if (activity.due) line.title = activity.due;
      inner.append(line);
    }
    item.append(inner);
    list.append(item);
  }
  return [element('h3', '', t('nextSteps')), list];
}

/**
 * Every move with whether it is allowed; a blocked one says why. An approval the signed-in user
 * gave counts for anyone's move but theirs (four eyes): their page says another person makes it.
 */
function moves(evaluation, deal, outline, me, id, move) {
  const checks = evaluation.transitions ?? [];
  if (checks.length === 0) return [];
  const list = element('ul', 'moves');
  for (const check of checks) {
    const blockers = check.blockers ?? [];
    const mine = blockers.filter((b) => approvedByMe(b, deal, me));
    const others = blockers.filter((b) => !approvedByMe(b, deal, me));
    const fourEyes = !check.allowed && mine.length > 0;
    const state = check.allowed ? t('allowed') : fourEyes && others.length === 0 ? say('fourEyes') : t('blocked');
    const item = element('li', check.allowed ? 'allowed' : fourEyes && others.length === 0 ? 'four-eyes' : 'blocked',
      `${titleOf(outline.stages ?? [], check.from)} → ${titleOf(outline.stages ?? [], check.to)}: ${state} `);
    // The person who approved cannot make this move: no button that can only be refused.
    if (!(fourEyes && others.length === 0)) {
      const button = element('button', '', t('move', titleOf(outline.stages ?? [], check.to)));
      button.type = 'button';
      button.addEventListener('click', () => move({ id, stage: check.from, to: check.to }));
      item.append(button);
    }
    if (!check.allowed && others.length > 0) {
      const why = element('ul', 'why');
      for (const blocker of others) if (blocker.message) why.append(element('li', '', blocker.message));
      if (fourEyes) why.append(element('li', 'approved-by-me', say('fourEyes')));
      if (why.children.length > 0) item.append(why);
    }
    list.append(item);
  }
  return [element('h3', '', t('moves')), list];
}
