// The board's columns and cards, and dragging a card onto another column.
import { element } from '../shared/dom.js';
import { t } from './text.js';

/** The outline's stages on the main path (the board's columns), in order. */
export function mainPath(outline) {
  return outline.stages.filter((stage) => !stage.terminal);
}

/**
 * Draws `pages` (the board as the page holds it, see pages.js) into `columns` and `closed`: a
 * column per stage of the main path of `outline` (GET /playbooks/{pin}/outline) with its count and
 * sums as the service gave them (over the whole filter, not the cards loaded), its cards loaded so
 * far and a "show more" button while it has more; the closed stages' cards below. `open(card)`
 * opens a deal; `move(card, to)` is asked when a card is dropped on another column;
 * `more(stage)` loads a column's next page.
 */
export function drawBoard(pages, outline, { columns, closed, unfit }, lang, { open, move, more }) {
  const format = new Intl.NumberFormat(lang);
  const terminal = outline.stages.filter((stage) => stage.terminal);
  columns.replaceChildren();
  for (const stage of mainPath(outline)) {
    const column = pages.columns.get(stage.id);
    if (!column) continue;
    const box = element('section', 'column');
    box.dataset.stage = stage.id;
    box.setAttribute('aria-label', stage.title);
    const title = element('h2', '', stage.title);
    title.append(' ', element('span', 'count', `(${format.format(column.count)})`));
    box.append(title, sums(column, format));
    for (const id of column.deals) {
      const card = pages.cards.get(id);
      if (card) box.append(cardOf(card, stage.id, format, open));
    }
    if (column.next) box.append(moreButton(column, stage.title, format, more));
    box.addEventListener('dragover', (event) => {
      event.preventDefault();
      box.classList.add('over');
    });
    box.addEventListener('dragleave', () => box.classList.remove('over'));
    box.addEventListener('drop', (event) => {
      event.preventDefault();
      box.classList.remove('over');
      const dragged = JSON.parse(event.dataTransfer?.getData('application/x-stagegate-card') || 'null');
      if (dragged !== null && dragged.stage !== stage.id) move({ ...dragged, to: stage.id });
    });
    columns.append(box);
  }
  const list = closed.querySelector('ul');
  list.replaceChildren();
  const count = closed.querySelector('h2 .count') ?? closed.querySelector('h2').appendChild(element('span', 'count'));
  const shut = terminal.map((stage) => pages.columns.get(stage.id)).filter(Boolean);
  count.textContent = ` (${format.format(shut.reduce((n, column) => n + column.count, 0))})`;
  for (const stage of terminal) {
    const column = pages.columns.get(stage.id);
    if (!column) continue;
    for (const id of column.deals) {
      const card = pages.cards.get(id);
      if (!card) continue;
      const item = element('li');
      const shown = cardOf(card, stage.id, format, open);
      shown.querySelector('.meta')?.prepend(`${stage.title} · `);
      item.append(shown);
      list.append(item);
    }
    if (column.next) {
      const item = element('li');
      item.append(moreButton(column, stage.title, format, more));
      list.append(item);
    }
  }
  unfit.hidden = pages.unfit.length === 0;
  unfit.querySelector('ul').replaceChildren(
    ...pages.unfit.map((deal) => element('li', 'error', `${deal.id} (${deal.playbook}): ${deal.message}`)),
  );
}

/** A column's sum of values and its sum weighted by the stage's probability, as the service counted them. */
function sums(column, format) {
  const line = element('p', 'sums', `Σ ${format.format(column.sum)}`);
  if (column.weighted !== null && column.weighted !== undefined) line.append(` · ${t('weighted')} ${format.format(Math.round(column.weighted))}`);
  return line;
}

/** The button loading a column's next page. */
function moreButton(column, title, format, more) {
  const button = element('button', 'more', t('more', format.format(column.count - column.deals.length)));
  button.type = 'button';
  button.dataset.stage = column.id;
  button.setAttribute('aria-label', `${t('more', format.format(column.count - column.deals.length))}: ${title}`);
  button.addEventListener('click', () => more(column.id));
  return button;
}

/** One card: the deal in `stage`. */
function cardOf(card, stage, format, open) {
  const shown = element('button', 'card');
  shown.type = 'button';
  shown.draggable = true;
  shown.dataset.deal = card.id;
  shown.dataset.stage = stage;
  shown.append(element('span', 'id', card.id));
  if (typeof card.value === 'number') shown.append(element('span', 'value', format.format(card.value)));
  const time = card.stages.find((s) => s.stage === stage);
  const meta = element('div', 'meta');
  meta.append([card.owner, time?.days === undefined ? '' : t('days', time.days)].filter(Boolean).join(' · '));
  shown.append(meta);
  const bands = element('div');
  for (const score of card.scores) {
    if (score.band) bands.append(element('span', 'band', `${score.title}: ${score.band}`));
  }
  shown.append(bands);
  for (const warning of card.warnings) {
    if (warning.kind === 'stalled' && warning.stage === stage) {
      shown.append(element('span', 'mark stalled', t('stalled', warning.days, warning.max_days)));
    } else if (warning.kind === 'overdue') {
      shown.append(element('span', 'mark overdue', t('overdue', warning.activity, warning.days)));
    }
  }
  shown.addEventListener('click', () => open(card));
  shown.addEventListener('dragstart', (event) => {
    event.dataTransfer?.setData('application/x-stagegate-card', JSON.stringify({ id: card.id, stage, revision: card.revision }));
  });
  return shown;
}
