// One card of the board, in words: the deal's name above its id, its amount in the playbook's
// currency, its owner, its days in the stage, its expected close date (the date itself, in every
// time zone), its scores' bands, and its stalled and overdue marks with the activities' titles.
import { element } from '../shared/dom.js';
import { activitiesOf, titleOf } from './panel.js';
import { t } from './text.js';

/**
 * A date-only value (`YYYY-MM-DD`) as the reader reads it: that very date whatever their time
 * zone (read and shown at UTC midnight, never through local midnight); anything else as given.
 */
export function dateOnly(text, lang) {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return text ?? '';
  const at = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return text;
  return at.toLocaleDateString(lang, { dateStyle: 'medium', timeZone: 'UTC' });
}

/**
 * The card of `card` (a card of GET /board) in the column of `stage`, read with `outline`;
 * `money(amount)` writes an amount. `open(card)` opens the deal; the card can be dragged to
 * another column.
 */
export function cardOf(card, stage, { outline, lang, money, open }) {
  const shown = element('button', 'card');
  shown.type = 'button';
  shown.draggable = true;
  shown.dataset.deal = card.id;
  shown.dataset.stage = stage;
  const name = card.name ?? null;
  const head = element('span', 'top');
  if (name) head.append(element('span', 'name', name), element('span', 'id', card.id));
  else head.append(element('span', 'id only', card.id));
  shown.append(head);
  if (typeof card.value === 'number') shown.append(element('span', 'value', money(card.value)));
  const time = (card.stages ?? []).find((s) => s.stage === stage);
  const meta = element('div', 'meta');
  const days = time?.days === undefined || time?.days === null ? '' : t('days', time.days);
  meta.append([card.owner, days].filter(Boolean).join(' · '));
  shown.append(meta);
  if (card.expected_close) shown.append(element('div', 'close-date', t('expectedClose', dateOnly(card.expected_close, lang))));
  if (card.error) shown.append(element('div', 'error', card.error));
  const bands = element('div', 'bands');
  for (const score of card.scores ?? []) {
    if (score.band) bands.append(element('span', 'band', `${score.title}: ${score.band}`));
  }
  if (bands.childElementCount > 0) shown.append(bands);
  for (const warning of card.warnings ?? []) {
    if (warning.kind === 'stalled' && warning.stage === stage) {
      shown.append(element('span', 'mark stalled', t('stalled', warning.days, warning.max_days)));
    } else if (warning.kind === 'overdue') {
      const activity = titleOf(activitiesOf(outline), warning.activity ?? '');
      shown.append(element('span', 'mark overdue', t('overdue', activity, warning.days)));
    }
  }
  shown.addEventListener('click', () => open(card));
  shown.addEventListener('dragstart', (event) => {
    event.dataTransfer?.setData('application/x-stagegate-card', JSON.stringify({ id: card.id, stage, revision: card.revision }));
  });
  return shown;
}
