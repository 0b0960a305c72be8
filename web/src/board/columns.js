// The board's columns, drawn once and then kept in step with the board as the page holds it
// (pages.js): a column's header (its title, the server's count and sums, in the playbook's
// currency) stays in sight while its cards scroll; a card is drawn again only when its deal
// changed, moved from column to column as its node, never the whole board redrawn. Each column
// loads its next page when its last card comes near the bottom of the board (and by its "show
// more" button); the board scrolls sideways with a cue at the edge that hides columns.
import { element } from '../shared/dom.js';
import { moneyFormat } from '../shared/money.js';
import { cardOf } from './cards.js';
import { t } from './text.js';

/** The outline's stages on the main path (the board's columns), in order. */
export function mainPath(outline) {
  return outline.stages.filter((stage) => !stage.terminal);
}

/**
 * One list of cards on the page: its stage, its header's parts
 * and the card nodes it shows, by deal id.
 * @typedef {{stage: string, title: string, box: HTMLElement, count: HTMLElement, sums: HTMLElement|null,
 *   list: HTMLElement, more: HTMLButtonElement|null, nodes: Map<string, HTMLElement>, last: HTMLElement|null}} Shown
 */

export class BoardView {
  /**
   * @param {{columns: HTMLElement, closed: HTMLElement, unfit: HTMLElement, frame: HTMLElement}} places
   * @param {{open: Function, move: Function, more: (stage: string) => Promise<void>}} handlers
   */
  constructor(places, handlers) {
    this.places = places;
    this.handlers = handlers;
    /** @type {Map<string, Shown>} */
    this.shown = new Map();
    this.pages = null;
    this.outline = null;
    this.lang = 'en';
    this.money = (n) => String(n);
    this.loading = new Set();
    this.watcher = new IntersectionObserver((seen) => this.near(seen), {
      root: places.columns,
      rootMargin: '0px 0px 400px 0px',
    });
    places.columns.addEventListener('scroll', () => this.cue(), { passive: true });
    window.addEventListener('resize', () => this.cue());
  }

  /** Draws the board `pages` of `outline` anew, in `lang` (on opening, or another playbook or filter). */
  reset(pages, outline, lang) {
    this.pages = pages;
    this.outline = outline;
    this.lang = lang;
    this.money = moneyFormat(lang, outline.currency ?? null);
    this.watcher.disconnect();
    this.shown.clear();
    this.loading.clear();
    const { columns, closed } = this.places;
    columns.replaceChildren();
    for (const stage of mainPath(outline)) {
      if (!pages.columns.has(stage.id)) continue;
      const shown = this.list(stage.id, stage.title, 'column', 'h2');
      this.droppable(shown.box, stage.id);
      columns.append(shown.box);
    }
    const groups = closed.querySelector('.groups');
    groups.replaceChildren();
    for (const stage of outline.stages.filter((s) => s.terminal)) {
      if (!pages.columns.has(stage.id)) continue;
      const shown = this.list(stage.id, stage.title, 'closed-stage', 'h3');
      groups.append(shown.box);
    }
    columns.scrollLeft = 0;
    this.sync();
  }

  /** A list of cards with its header: a column (`kind` 'column') or a closed stage's. */
  list(stage, title, kind, heading) {
    const box = element('section', kind);
    box.dataset.stage = stage;
    box.setAttribute('aria-label', title);
    const head = element('div', 'head');
    const count = element('span', 'count');
    const name = element(heading, '', title);
    head.append(name, count);
    // A playbook without a value field (`value:`) has no amounts to sum.
    const sums = this.outline?.value_field ? element('div', 'sums') : null;
    if (sums) head.append(sums);
    const list = element('div', 'cards');
    box.append(head, list);
    /** @type {Shown} */
    const shown = { stage, title, box, count, sums, list, more: null, nodes: new Map(), last: null };
    this.shown.set(stage, shown);
    return shown;
  }

  /** Dropping a card on column `stage` asks for the move. */
  droppable(box, stage) {
    box.addEventListener('dragover', (event) => {
      event.preventDefault();
      box.classList.add('over');
    });
    box.addEventListener('dragleave', () => box.classList.remove('over'));
    box.addEventListener('drop', (event) => {
      event.preventDefault();
      box.classList.remove('over');
      const dragged = JSON.parse(event.dataTransfer?.getData('application/x-stagegate-card') || 'null');
      if (dragged !== null && dragged.stage !== stage) this.handlers.move({ ...dragged, to: stage });
    });
  }

  /** Brings every list in step with the board held: headers, cards changed, moved or gone, "show more". */
  sync() {
    const pages = this.pages;
    if (pages === null) return;
    const format = new Intl.NumberFormat(this.lang);
    for (const shown of this.shown.values()) {
      const column = pages.columns.get(shown.stage);
      if (!column) continue;
      set(shown.count, t('deals', format.format(column.count), column.count));
      if (shown.sums) {
        // An empty list has nothing to sum.
        shown.sums.hidden = column.count === 0;
        const text = column.count === 0 ? '' : this.sums(column);
        // Each amount on one line: a narrow column breaks between them, never inside one.
        if (shown.sums.textContent !== text) shown.sums.replaceChildren(...text.split(' · ').flatMap((part, i) => [...(i ? [' · '] : []), element('span', 'amount', part)]));
      }
      this.cards(shown, column.deals);
      this.moreButton(shown, column, format);
      this.watch(shown, column);
    }
    const closed = [...pages.columns.values()].filter((c) => c.terminal);
    set(this.places.closed.querySelector('h2 .count'), ` (${format.format(closed.reduce((n, c) => n + c.count, 0))})`);
    this.places.closed.hidden = closed.length === 0;
    const { unfit } = this.places;
    unfit.hidden = pages.unfit.length === 0;
    const lines = pages.unfit.map((deal) => `${deal.id} (${deal.playbook}): ${deal.message}`);
    const items = unfit.querySelector('ul');
    if ([...items.children].map((li) => li.textContent).join('\n') !== lines.join('\n')) {
      items.replaceChildren(...lines.map((line) => element('li', 'error', line)));
    }
    this.cue();
  }

  /** A column's sums in words: the amount of its deals and that amount weighted by the stage's probability. */
  sums(column) {
    const parts = [this.money(column.sum ?? 0)];
    if (column.weighted !== null && column.weighted !== undefined) parts.push(`${t('weighted')} ${this.money(Math.round(column.weighted))}`);
    return parts.join(' · ');
  }

  /** The cards of `ids` in `shown`'s list, in order: a node kept while its card is the same, drawn again when it changed. */
  cards(shown, ids) {
    const pages = this.pages;
    const wanted = new Set(ids);
    for (const [id, node] of shown.nodes) {
      if (!wanted.has(id) || !pages.cards.has(id)) {
        node.remove();
        shown.nodes.delete(id);
      }
    }
    let previous = null;
    for (const id of ids) {
      const card = pages.cards.get(id);
      if (!card) continue;
      let node = shown.nodes.get(id);
      if (node && node.card !== card && !same(node.card, card)) {
        const fresh = this.card(card, shown.stage);
        node.replaceWith(fresh);
        node = fresh;
        shown.nodes.set(id, node);
      } else if (!node) {
        node = this.card(card, shown.stage);
        shown.nodes.set(id, node);
      }
      const expected = previous === null ? shown.list.firstChild : previous.nextSibling;
      if (expected !== node) shown.list.insertBefore(node, expected);
      previous = node;
    }
  }

  /** A card's node, remembering the card it shows. */
  card(card, stage) {
    const node = cardOf(card, stage, { outline: this.outline, lang: this.lang, money: this.money, open: this.handlers.open });
    node.card = card;
    return node;
  }

  /** The "show more" button of a list that has more, after its cards (the keyboard's and screen reader's way). */
  moreButton(shown, column, format) {
    if (!column.next) {
      shown.more?.remove();
      shown.more = null;
      return;
    }
    const left = t('more', format.format(column.count - column.deals.length));
    if (shown.more === null) {
      const button = element('button', 'more');
      button.type = 'button';
      button.dataset.stage = shown.stage;
      button.addEventListener('click', () => this.load(shown.stage));
      shown.more = button;
    }
    set(shown.more, left);
    shown.more.setAttribute('aria-label', `${left}: ${shown.title}`);
    if (shown.more.previousSibling !== shown.list) shown.list.after(shown.more);
  }

  /** Watches the last card of a column with more to load. */
  watch(shown, column) {
    const last = column.next && shown.box.classList.contains('column') ? shown.list.lastElementChild : null;
    if (shown.last === last) return;
    if (shown.last) this.watcher.unobserve(shown.last);
    shown.last = last;
    if (last) {
      last.dataset.watch = shown.stage;
      this.watcher.observe(last);
    }
  }

  /** A watched last card came near the board's bottom: its column's next page. */
  near(seen) {
    for (const entry of seen) {
      if (entry.isIntersecting) this.load(/** @type {HTMLElement} */ (entry.target).dataset.watch ?? '');
    }
  }

  /** The next page of column `stage`, once at a time. */
  load(stage) {
    if (this.loading.has(stage)) return;
    this.loading.add(stage);
    this.handlers.more(stage).finally(() => this.loading.delete(stage));
  }

  /** The cue at the board's right (and left) edge while columns are out of sight there. */
  cue() {
    const { columns, frame } = this.places;
    const cutRight = columns.scrollLeft + columns.clientWidth < columns.scrollWidth - 1;
    const cutLeft = columns.scrollLeft > 1;
    frame.classList.toggle('cut-right', cutRight);
    frame.classList.toggle('cut-left', cutLeft);
    // The shade stops at the scrollbars, whatever their size where the page runs.
    frame.style.setProperty('--bar-x', `${columns.offsetHeight - columns.clientHeight}px`);
    frame.style.setProperty('--bar-y', `${columns.offsetWidth - columns.clientWidth}px`);
  }
}

/** Whether two cards of a deal read alike (a card asked again that did not change keeps its node). */
function same(a, b) {
  return a.revision === b.revision && JSON.stringify(a) === JSON.stringify(b);
}

/** Sets a node's text when it differs. */
function set(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}
