// Finding deals on the board: the search, the filters and the sort of the form above it, kept in
// the page's address (its query string) so that a link or a reload shows the same board and the
// browser's back and forward go through the filters chosen. The server filters, sorts and counts
// (GET /board's `q`, `owner`, `stalled`, `overdue`, `approval`, `sort`): never the page.
import { element } from '../shared/dom.js';
import { t } from './text.js';

/**
 * What the board is asked for, as the address writes it: `q` (a deal's id, name or owner),
 * `owner` (a user's id, or `me`), `stalled` and `overdue` (`true`), `approval` (`me`), `sort`
 * (`value:desc`, `days:desc`, `field:<expected close field>:asc`, ...) and `playbook`.
 * @typedef {{q: string, owner: string, stalled: string, overdue: string, approval: string, sort: string, playbook: string}} Find
 */

/** The keys of a Find, in the address's order. */
const KEYS = ['playbook', 'q', 'owner', 'stalled', 'overdue', 'approval', 'sort'];

/** The board's search, filters and sort as the address `search` (location.search) holds them. */
export function fromAddress(search) {
  const params = new URLSearchParams(search);
  /** @type {Find} */
  const find = Object.fromEntries(KEYS.map((key) => [key, (params.get(key) ?? '').trim()]));
  // Only the values the form offers: an address written by hand cannot ask for others.
  for (const key of ['stalled', 'overdue']) if (find[key] !== 'true') find[key] = '';
  if (find.approval !== 'me') find.approval = '';
  return find;
}

/** The address (a query string, `?` included, or '') of `find`. */
export function toAddress(find) {
  const params = new URLSearchParams();
  for (const key of KEYS) if (find[key]) params.set(key, find[key]);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The filters of `find` as `GET /board` takes them (the playbook apart). `owner=me` is asked as
 * the signed-in user's id, which the service takes whether or not it knows `me`.
 */
export function boardFilters(find, me) {
  const filters = {};
  for (const key of ['q', 'owner', 'stalled', 'overdue', 'approval', 'sort']) if (find[key]) filters[key] = find[key];
  if (filters.owner === 'me' && me) filters.owner = me.id;
  return filters;
}

/** Whether `find` leaves any deal out (a sort alone does not). */
export function narrows(find) {
  return ['q', 'owner', 'stalled', 'overdue', 'approval'].some((key) => Boolean(find[key]));
}

/** The sorts a column offers for `outline`: by id (the board's order), value, days in stage, expected close. */
export function sorts(outline) {
  const offered = [['', t('sortId')]];
  if (outline.value_field) offered.push(['value:desc', t('sortValueDesc')], ['value:asc', t('sortValueAsc')]);
  offered.push(['days:desc', t('sortDaysDesc')], ['days:asc', t('sortDaysAsc')]);
  const close = outline.expected_close ?? null;
  if (close) offered.push([`field:${close}:asc`, t('sortCloseAsc')], [`field:${close}:desc`, t('sortCloseDesc')]);
  return offered;
}

/**
 * The form `form` (its inputs #filter-q, #filter-owner, #filter-mine, #filter-stalled,
 * #filter-overdue, #filter-approval, #filter-sort) showing `find`, its sorts those of `outline`
 * (a sort the outline lacks, from an address, is kept and shown by its own words).
 */
export function showFind(form, find, outline) {
  const $ = (id) => form.querySelector(`#${id}`);
  $('filter-q').value = find.q;
  const mine = find.owner === 'me';
  $('filter-mine').checked = mine;
  $('filter-owner').value = mine ? '' : find.owner;
  $('filter-owner').disabled = mine;
  $('filter-stalled').checked = find.stalled === 'true';
  $('filter-overdue').checked = find.overdue === 'true';
  $('filter-approval').checked = find.approval === 'me';
  const select = $('filter-sort');
  const offered = outline ? sorts(outline) : [['', t('sortId')]];
  if (find.sort && !offered.some(([value]) => value === find.sort)) offered.push([find.sort, find.sort]);
  select.replaceChildren(...offered.map(([value, label]) => {
    const option = element('option', '', label);
    option.value = value;
    return option;
  }));
  select.value = find.sort;
}

/** What the form `form` asks for, on the board of `playbook`. */
export function readFind(form, playbook) {
  const $ = (id) => form.querySelector(`#${id}`);
  const mine = $('filter-mine').checked;
  return {
    playbook,
    q: $('filter-q').value.trim(),
    owner: mine ? 'me' : $('filter-owner').value.trim(),
    stalled: $('filter-stalled').checked ? 'true' : '',
    overdue: $('filter-overdue').checked ? 'true' : '',
    approval: $('filter-approval').checked ? 'me' : '',
    sort: $('filter-sort').value,
  };
}

/** Whether two Finds ask for the same board. */
export function sameFind(a, b) {
  return KEYS.every((key) => (a[key] ?? '') === (b[key] ?? ''));
}
