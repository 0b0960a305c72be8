// A deal's history in words: each entry's time (a date alone as that day in every time zone, a
// time in the reader's zone), what it did with the playbook's titles (moves, approvals given and
// asked for, edits with the values as they read, archiving, imports, migrations), and who.
import { element } from '../shared/dom.js';
import { fieldText, longTime } from '../shared/format.js';
import { approvalWords } from './deal-approvals.js';
import { activitiesOf, titleOf } from './panel.js';
import { t } from './text.js';
import { say } from './words.js';

/** A field's value as it reads (an enum's label, money in the playbook's currency, a date). */
export function valueWords(outline, fieldId, value, lang) {
  const field = (outline.fields ?? []).find((f) => f.id === fieldId) ?? { id: fieldId };
  return fieldText(field, value, outline, lang, { yes: t('yes'), no: t('no'), notSet: t('notSet') });
}

/** What a history entry records, in words: a move, an approval given or asked for, an edit, archiving. */
export function describe(entry, outline, lang) {
  const stages = outline.stages ?? [];
  if (entry.approved) return say('historyApproved', approvalWords(outline, entry.approved));
  if (entry.approval_requested) {
    const asked = say('historyAsked', approvalWords(outline, entry.approval_requested));
    return entry.note ? `${asked} “${entry.note}”` : asked;
  }
  if (entry.edit) {
    const edit = entry.edit;
    let change;
    if (edit.field) {
      change = `${titleOf(outline.fields ?? [], edit.field)}: ${valueWords(outline, edit.field, edit.before, lang)} → ${valueWords(outline, edit.field, edit.after, lang)}`;
    } else if (edit.activity) {
      change = `${titleOf(activitiesOf(outline), edit.activity)}: ${edit.after === undefined || edit.after === null || edit.after === false ? t('notDone') : t('done')}`;
    } else {
      change = `${t('owner')}: ${edit.before ?? t('notSet')} → ${edit.after ?? t('notSet')}`;
    }
    const voided = (edit.voided ?? []).map((criterion) => approvalWords(outline, criterion));
    return voided.length ? `${change} (${t('voided', voided.join(', '))})` : change;
  }
  if (entry.archived) return t('archivedEntry', entry.reason ?? '');
  if (entry.unarchived) return t('unarchivedEntry');
  if (entry.migrated_from) return say('migrated', entry.migrated_from);
  const kind = entry.kind ? ` (${say('kinds')[entry.kind] ?? entry.kind})` : '';
  const fork = entry.fork && entry.from ? ` · ${say('fork', titleOf(stages, entry.from))}` : '';
  const move = `${entry.from ? `${titleOf(stages, entry.from)} → ` : ''}${titleOf(stages, entry.to ?? '')}${kind}${fork}`;
  return entry.imported ? `${move} · ${t('imported')}` : move;
}

/** The history as a table, oldest first; a deal without one says so. */
export function historySection(deal, outline, lang) {
  const entries = Array.isArray(deal.history) ? deal.history : [];
  if (entries.length === 0) return [element('h3', '', t('history')), element('p', 'empty-history', say('noHistory'))];
  const table = element('table', 'history');
  for (const entry of entries) {
    const row = element('tr');
    const at = element('td', 'at', longTime(entry.at, lang));
    at.title = entry.at ?? '';
    const who = [entry.by ? `${t('by')} ${entry.by}` : '', entry.imported_by ? say('importedBy', entry.imported_by) : ''].filter(Boolean).join(' · ');
    row.append(
      at,
      element('td', '', describe(entry, outline, lang)),
      element('td', '', who),
      element('td', '', entry.forced ? say('forcedBecause', entry.reason ?? '') : ''),
    );
    table.append(row);
  }
  return [element('h3', '', t('history')), table];
}
