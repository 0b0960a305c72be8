// Dates, times and money as a reader reads them, shared by the pages. A date alone
// (`2026-09-20`) is that day in every time zone: it is formatted in UTC from its parts, never read
// as a local midnight. A date-time is shown in the reader's time zone. Money is in the playbook's
// currency (the outline's `currency`), a plain number without one.

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a date without a time (`YYYY-MM-DD`). */
export function isDateOnly(text) {
  return typeof text === 'string' && dateOnly.test(text);
}

/**
 * `text` (a date or an RFC 3339 time) as `{when, dateOnly}`: a date's `when` is its UTC
 * midnight, to be formatted with `timeZone: 'UTC'`; `null` when it cannot be read.
 */
export function readTime(text) {
  if (typeof text !== 'string') return null;
  const parts = dateOnly.exec(text);
  if (parts) return { when: new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))), dateOnly: true };
  const when = new Date(text);
  return Number.isNaN(when.getTime()) ? null : { when, dateOnly: false };
}

/** Formatting options with the zone a date or a time is read in. */
function zoned(read, options) {
  return read.dateOnly ? { ...options, timeZone: 'UTC' } : options;
}

/**
 * A date or a time in full (`Sep 20, 2026`, `Sep 20, 2026, 10:42 AM`): a date as that day, a time
 * in the reader's time zone. Text that is neither comes back as it is.
 */
export function longTime(text, lang) {
  const read = readTime(text);
  if (read === null) return String(text ?? '');
  const options = read.dateOnly ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(lang, zoned(read, options)).format(read.when);
}

/** A date, or a time in the reader's zone, short: with the year only when it is not this year's. */
function short(text, lang, withTime, now) {
  const read = readTime(text);
  if (read === null) return String(text ?? '');
  const options = { month: 'short', day: 'numeric' };
  if (withTime && !read.dateOnly) Object.assign(options, { hour: 'numeric', minute: '2-digit' });
  const year = (zone) => new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone }).format;
  if (year(read.dateOnly ? 'UTC' : undefined)(read.when) !== year(undefined)(now)) options.year = 'numeric';
  return new Intl.DateTimeFormat(lang, zoned(read, options)).format(read.when);
}

/**
 * A date or a time, short (`Dec 7, 10:42 AM`; `Sep 20` for a date; the year added when it is not
 * this year's, `now` being today).
 */
export function shortTime(text, lang, now = new Date()) {
  return short(text, lang, true, now);
}

/** A date, short and without its time (`Dec 9`), in the reader's zone for a time. */
export function shortDate(text, lang, now = new Date()) {
  return short(text, lang, false, now);
}

/**
 * An amount in `currency` (an ISO 4217 code, the outline's `currency`), or as a plain number
 * without one (or with a code the browser does not know). Anything but a number comes back as
 * text.
 */
export function money(value, currency, lang) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '');
  if (currency) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: Number.isInteger(value) ? 0 : 2 }).format(value);
    } catch {
      // An unknown code: the number, then the code as written.
      return `${new Intl.NumberFormat(lang).format(value)} ${currency}`;
    }
  }
  return new Intl.NumberFormat(lang).format(value);
}

/** A number with the reader's grouping. */
export function number(value, lang) {
  return typeof value === 'number' && Number.isFinite(value) ? new Intl.NumberFormat(lang).format(value) : String(value ?? '');
}

/**
 * A field's value in words, from the playbook's outline: an enum value by its label, the money
 * field in the playbook's currency, numbers grouped, dates as dates, yes or no, a list's items
 * joined. `words` gives {yes, no, notSet}. Never JSON: an object's keys and values are listed.
 */
export function fieldText(field, value, outline, lang, words) {
  if (value === undefined || value === null) return words.notSet;
  if (Array.isArray(value)) return value.map((item) => fieldText({ ...field, list: false }, item, outline, lang, words)).join(', ');
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'object') {
    return Object.entries(value).map(([key, inner]) => `${key}: ${fieldText({}, inner, outline, lang, words)}`).join(', ');
  }
  if (field?.type === 'enum') return field.values?.find((choice) => choice.id === String(value))?.title ?? String(value);
  if (typeof value === 'number') {
    const isMoney = field?.money || (field?.id !== undefined && field.id === outline?.value_field);
    return isMoney ? money(value, outline?.currency, lang) : number(value, lang);
  }
  if (field?.type === 'date' || isDateOnly(value)) return longTime(value, lang);
  return String(value);
}

/** Whether `text` (a date, or a time in the reader's zone) falls on today's date (`now`'s). */
export function isToday(text, now = new Date()) {
  const read = readTime(text);
  if (read === null) return false;
  const day = (when, zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(when);
  return day(read.when, read.dateOnly ? 'UTC' : undefined) === day(now, undefined);
}
