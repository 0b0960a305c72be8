// The board as the page holds it, from the service's pages (GET /board): each column's count and
// sums (the service's, over the whole filter), the ids of its cards loaded so far and the cursor
// of its next page; a card per deal, shared by the columns of its stages. The first page of every
// column, the next page of one, and the cards of deals that changed with every column's totals.
import { call } from '../shared/api.js';

export class Pages {
  /** @param {string} playbook the board's playbook id ('' for the only one) @param {{owner?: string, q?: string}} filters */
  constructor(playbook, filters) {
    this.playbook = playbook;
    this.filters = filters;
    /** The answer's playbook, title, languages and value field. */
    this.board = null;
    /** Every column by stage id, main path then closed, in order. */
    this.columns = new Map();
    /** Every card loaded, by deal id. */
    this.cards = new Map();
    this.unfit = [];
    /** The playbook's expected close field (the outline's `expected_close`), which a `field:` sort may name. */
    this.closeField = null;
    /** The change feed's position when the board was first read (GET /events?after=). */
    this.after = 0;
  }

  /** The query every request shares: the playbook and the filters. */
  query(more = {}) {
    const params = new URLSearchParams();
    if (this.playbook) params.set('playbook', this.playbook);
    for (const [key, value] of Object.entries(this.filters)) if (value) params.set(key, value);
    for (const [key, value] of Object.entries(more)) {
      for (const one of [value].flat()) params.append(key, String(one));
    }
    return `/board?${params}`;
  }

  /** The first page of every column. */
  async first() {
    const answer = await call('GET', this.query());
    this.board = answer;
    this.after = answer.events_after;
    this.unfit = answer.unfit;
    this.columns.clear();
    this.cards.clear();
    for (const card of answer.cards) this.cards.set(card.id, card);
    for (const [list, terminal] of [[answer.columns, false], [answer.closed, true]]) {
      for (const column of list) this.columns.set(column.id, { ...column, terminal });
    }
  }

  /** The next page of column `stage`, after the cards it shows. */
  async more(stage) {
    const column = this.columns.get(stage);
    if (!column?.next) return;
    const answer = await call('GET', this.query({ column: stage, cursor: column.next }));
    const page = [...answer.columns, ...answer.closed].find((c) => c.id === stage);
    if (!page) return;
    for (const card of answer.cards) this.keep(card);
    Object.assign(column, { count: page.count, sum: page.sum, weighted: page.weighted, next: page.next });
    column.deals.push(...page.deals.filter((id) => !column.deals.includes(id)));
  }

  /**
   * The cards of deals `ids` again and every column's totals: a deal that changed takes its
   * place in the columns of its stages; one the board no longer shows leaves it.
   */
  async refresh(ids) {
    const unique = [...new Set(ids)];
    for (let start = 0; start < Math.max(unique.length, 1); start += 100) {
      const some = unique.slice(start, start + 100);
      const answer = await call('GET', this.query({ limit: 0, card: some }));
      for (const total of [...answer.columns, ...answer.closed]) {
        const column = this.columns.get(total.id);
        if (column) Object.assign(column, { count: total.count, sum: total.sum, weighted: total.weighted });
      }
      this.unfit = answer.unfit;
      const got = new Map(answer.cards.map((card) => [card.id, card]));
      for (const id of some) {
        const card = got.get(id);
        if (card) this.place(card);
        else this.remove(id);
      }
    }
  }

  /** Keeps `card` unless the page holds a newer revision of its deal. */
  keep(card) {
    const held = this.cards.get(card.id);
    if (held && held.revision > card.revision) return false;
    this.cards.set(card.id, card);
    return true;
  }

  /** Takes the deal out of every column. */
  remove(id) {
    this.cards.delete(id);
    for (const column of this.columns.values()) column.deals = column.deals.filter((d) => d !== id);
  }

  /**
   * Puts `card` in the column of each of its stages, in the board's order (the sort's), unless it
   * falls after the column's last loaded card while the column has more: its page brings it.
   */
  place(card) {
    if (!this.keep(card)) return;
    const stages = card.stages ?? [];
    for (const column of this.columns.values()) {
      const here = stages.some((s) => s.stage === column.id);
      const shown = column.deals.includes(card.id);
      if (shown) column.deals = column.deals.filter((d) => d !== card.id);
      if (!here) continue;
      const at = column.deals.findIndex((id) => {
        const other = this.cards.get(id);
        return other !== undefined && this.before(card, other, column.id);
      });
      if (at >= 0) column.deals.splice(at, 0, card.id);
      // Last of the cards loaded: kept when it was shown already, or when the column has no more.
      else if (shown || !column.next) column.deals.push(card.id);
    }
  }

  /** What the sort compares of `card` in column `stage` (as the service does), or null. */
  key(card, stage) {
    const [kind, ...rest] = (this.filters.sort ?? 'id:asc').split(':');
    if (kind === 'value') return typeof card.value === 'number' ? card.value : null;
    if (kind === 'days') return card.stages?.find((s) => s.stage === stage)?.days ?? null;
    if (kind === 'field') {
      const close = typeof card.expected_close === 'string' ? Date.parse(`${card.expected_close}T00:00:00Z`) : NaN;
      return rest[0] === this.closeField && Number.isFinite(close) ? close : null;
    }
    return null;
  }

  /** Whether `a` comes before `b` in column `stage`: by the sort's key (none last), then by id. */
  before(a, b, stage) {
    const sort = this.filters.sort ?? 'id:asc';
    const descending = sort.endsWith(':desc');
    const x = this.key(a, stage);
    const y = this.key(b, stage);
    if (x !== null && y === null) return true;
    if (x === null && y !== null) return false;
    if (x !== null && y !== null && x !== y) return descending ? x > y : x < y;
    return sort.startsWith('id') && descending ? a.id > b.id : a.id < b.id;
  }
}
