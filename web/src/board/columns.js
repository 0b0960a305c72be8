// The board's columns and cards, and dragging a card onto another column.
import { element } from '../shared/dom.js';
import { t } from './text.js';

/** The outline's stages on the main path (the board's columns), in order. */
export function mainPath(outline) {
  return outline.stages.filter((stage) => !stage.terminal);
}

/**
 * Draws the cards of `board` (GET /board) into `columns` and `closed`, a column per stage of the
 * main path of `outline` (GET /playbooks/{pin}/outline), a card per deal in each of its active
 * stages. `open(card)` opens a deal; `move(card, to)` is asked when a card is dropped on another
 * column.
 */
export function drawBoard(board, outline, { columns, closed, unfit }, lang, { open, move }) {
  const format = new Intl.NumberFormat(lang);
  const terminal = outline.stages.filter((stage) => stage.terminal);
  columns.replaceChildren();
  for (const column of mainPath(outline)) {
    const cards = board.cards.filter((card) => card.stages.some((s) => s.stage === column.id));
    const box = element('section', 'column');
    box.dataset.stage = column.id;
    box.setAttribute('aria-label', column.title);
    const title = element('h2', '', column.title);
    title.append(' ', element('span', 'count', `(${cards.length})`));
    box.append(title);
    for (const card of cards) box.append(cardOf(card, column.id, format, open));
    box.addEventListener('dragover', (event) => {
      event.preventDefault();
      box.classList.add('over');
    });
    box.addEventListener('dragleave', () => box.classList.remove('over'));
    box.addEventListener('drop', (event) => {
      event.preventDefault();
      box.classList.remove('over');
      const dragged = JSON.parse(event.dataTransfer?.getData('application/x-stagegate-card') || 'null');
      if (dragged !== null && dragged.stage !== column.id) move({ ...dragged, to: column.id });
    });
    columns.append(box);
  }
  const list = closed.querySelector('ul');
  list.replaceChildren();
  const count = closed.querySelector('h2 .count') ?? closed.querySelector('h2').appendChild(element('span', 'count'));
  count.textContent = ` (${board.cards.filter((c) => c.stages.some((s) => terminal.some((stage) => stage.id === s.stage))).length})`;
  for (const stage of terminal) {
    for (const card of board.cards.filter((c) => c.stages.some((s) => s.stage === stage.id))) {
      const item = element('li');
      const shown = cardOf(card, stage.id, format, open);
      shown.querySelector('.meta')?.prepend(`${stage.title} · `);
      item.append(shown);
      list.append(item);
    }
  }
  unfit.hidden = board.unfit.length === 0;
  unfit.querySelector('ul').replaceChildren(
    ...board.unfit.map((deal) => element('li', 'error', `${deal.id} (${deal.playbook}): ${deal.message}`)),
  );
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
