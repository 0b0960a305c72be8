// A deal opened from the board: its fields (a form made from the playbook's outline, a row per
// field), its activities, next steps and approvals, its moves and its history.
import { call, ServiceError } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { fieldChanged, fieldRow, fieldValue } from '../shared/fields.js';
import { activitiesOf, readableTime, titleOf } from './panel.js';
import { t } from './text.js';

/** Today, as a date. */
function today() {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Opens deal `id` in `dialog`; `focus` ({field} or {activity}) is put in view and focused.
 * `changed()` is called after every write; `move(wanted)` makes a move as the board does.
 */
export async function openDeal(dialog, id, { outline, me, focus, changed, move }) {
  const body = dialog.querySelector('#deal-body');
  const { deal, revision, evaluation } = await call('GET', `/deals/${encodeURIComponent(id)}`);
  const outlineOf = await outline(deal.playbook);
  dialog.querySelector('#deal-title').textContent = `${deal.id} · ${deal.stages.map((s) => titleOf(outlineOf.stages, s)).join(', ')}`;
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

  const parts = [...scores(evaluation, outlineOf)];
  // Fields.
  const form = element('form', 'fields');
  // Checked here, so that the reason is written where the deal shows what happened.
  form.noValidate = true;
  const words = { unset: t('unset'), yes: t('yes'), no: t('no'), listHelp: t('listHelp') };
  for (const field of outlineOf.fields) form.append(fieldRow(field, deal.fields?.[field.id], words).row);
  const save = element('button', '', t('save'));
  save.type = 'submit';
  form.append(save);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = {};
    for (const field of outlineOf.fields) {
      const made = form.elements.namedItem(field.id);
      // A number the browser could not read holds '' (which would remove the field), a whole
      // number with a fraction is no whole number: nothing is saved, and the field says why.
      if (made.validity && !made.validity.valid) {
        status.classList.add('error');
        status.textContent = t('notSaved', field.title, made.validationMessage);
        made.focus();
        return;
      }
      if (fieldChanged(made)) fields[field.id] = fieldValue(field, made.value);
    }
    if (Object.keys(fields).length > 0) write({ fields });
  });
  parts.push(element('h3', '', t('fields')), form);

  // Activities of the active stages.
  parts.push(element('h3', '', t('activities')));
  const activities = element('ul', 'activities');
  // The activities of its stages, and one a refusal asked for from another stage (a target's
  // entry gate).
  const shown = outlineOf.stages.filter((s) => deal.stages.includes(s.id)).flatMap((s) => s.activities);
  const asked = activitiesOf(outlineOf).find((a) => a.id === focus?.activity);
  if (asked && !shown.some((a) => a.id === asked.id)) shown.push(asked);
  for (const activity of shown) {
    const item = element('li');
    const box = element('input');
    box.type = 'checkbox';
    box.id = `activity-${activity.id}`;
    box.checked = deal.activities?.[activity.id] !== undefined && deal.activities[activity.id] !== false;
    box.addEventListener('change', () => write({ activities: { [activity.id]: box.checked ? today() : null } }));
    const label = element('label', '', `${activity.title}${activity.required ? ' *' : ''}`);
    label.htmlFor = box.id;
    item.append(box, ' ', label);
    activities.append(item);
  }
  parts.push(activities, element('p', 'legend', t('required')));

  parts.push(...nextSteps(deal, evaluation, outlineOf, me, id, revision, again, status));
  parts.push(...moves(evaluation, outlineOf, id, move));
  parts.push(...history(deal, outlineOf, document.documentElement.lang));
  // What a save or an approval did stays in sight at the bottom of the deal.
  status.classList.add('status');
  parts.push(status);
  body.replaceChildren(...parts);
  if (!dialog.open) dialog.showModal();
  const target = focus?.field ? `#field-${focus.field}` : focus?.activity ? `#activity-${focus.activity}` : null;
  if (target) body.querySelector(target)?.focus();
}

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

function nextSteps(deal, evaluation, outline, me, id, revision, again, status) {
  const steps = evaluation.next_steps ?? [];
  if (steps.length === 0) return [];
  const list = element('ul');
  for (const step of steps) {
    const item = element('li', '', titleOf(outline.stages, step.stage));
    const inner = element('ul');
    if (step.guidance) inner.append(element('li', '', step.guidance));
    for (const activity of step.activities ?? []) {
      const late = activity.overdue_days ? ` (${t('overdue', activity.title, activity.overdue_days)})` : '';
      inner.append(element('li', '', `${activity.title}${activity.due ? ` · ${readableTime(activity.due, document.documentElement.lang)}` : ''}${late}`));
    }
    for (const approval of step.approvals ?? []) {
      // The engine's message names who approves; without one, the roles are listed.
      const who = (approval.roles ?? []).map((r) => titleOf(outline.roles, r)).join(', ');
      const line = element('li', '', `${t('approvals')}: ${approval.message ?? `${approval.criterion} (${who})`}`);
      // Whoever holds an approving role may give it; the service refuses one that already
      // counts, and says so.
      if ((approval.roles ?? []).some((role) => me.roles.includes(role))) {
        const button = element('button', '', t('approve'));
        button.type = 'button';
        button.addEventListener('click', async () => {
          try {
            await call('POST', `/deals/${encodeURIComponent(id)}/approvals`, { criterion: approval.criterion, revision });
            await again(t('approved'));
          } catch (error) {
            if (!(error instanceof ServiceError)) throw error;
            status.classList.add('error');
            status.textContent = error.message;
          }
        });
        line.append(' ', button);
      }
      inner.append(line);
    }
    item.append(inner);
    list.append(item);
  }
  return [element('h3', '', t('nextSteps')), list];
}

function moves(evaluation, outline, id, move) {
  const list = element('ul');
  for (const check of evaluation.transitions ?? []) {
    const item = element('li', check.allowed ? 'allowed' : 'blocked',
      `${titleOf(outline.stages, check.from)} → ${titleOf(outline.stages, check.to)}: ${t(check.allowed ? 'allowed' : 'blocked')} `);
    const button = element('button', '', t('move', titleOf(outline.stages, check.to)));
    button.type = 'button';
    button.addEventListener('click', () => move({ id, stage: check.from, to: check.to }));
    item.append(button);
    list.append(item);
  }
  return [element('h3', '', t('moves')), list];
}

/** What a history entry records, in words: a move, an approval, an edit, archiving. */
function describe(entry, outline) {
  if (entry.approved) return `${t('approvals')}: ${entry.approved}`;
  if (entry.edit) {
    const edit = entry.edit;
    const value = (v) => (v === undefined ? t('notSet') : typeof v === 'object' ? JSON.stringify(v) : String(v));
    let change;
    if (edit.field) change = `${titleOf(outline.fields, edit.field)}: ${value(edit.before)} → ${value(edit.after)}`;
    else if (edit.activity) change = `${titleOf(activitiesOf(outline), edit.activity)}: ${edit.after === undefined ? t('notDone') : t('done')}`;
    else change = `${t('owner')}: ${value(edit.before)} → ${value(edit.after)}`;
    return edit.voided?.length ? `${change} (${t('voided', edit.voided.join(', '))})` : change;
  }
  if (entry.archived) return t('archivedEntry', entry.reason ?? '');
  if (entry.unarchived) return t('unarchivedEntry');
  const move = `${entry.from ? `${titleOf(outline.stages, entry.from)} → ` : ''}${titleOf(outline.stages, entry.to)}${entry.kind ? ` (${entry.kind})` : ''}`;
  return entry.imported ? `${move} · ${t('imported')}` : move;
}

function history(deal, outline, lang) {
  const table = element('table');
  for (const entry of deal.history ?? []) {
    const row = element('tr');
    const what = describe(entry, outline);
    const at = element('td', '', readableTime(entry.at, lang));
    at.title = entry.at;
    row.append(
      at,
      element('td', '', what),
      element('td', '', entry.by ? `${t('by')} ${entry.by}` : ''),
      element('td', '', entry.forced ? `forced: ${entry.reason ?? ''}` : ''),
    );
    table.append(row);
  }
  return [element('h3', '', t('history')), table];
}
