// Today and now on the playbook's clock: the sandbox evaluates at the present moment, written as
// the engine reads a time without a zone (in the playbook's time zone).

/** `date`'s wall-clock parts in the time zone `zone` (the browser's when it is not known). */
function parts(date, zone) {
  let format;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  } catch {
    format = new Intl.DateTimeFormat('en-CA', {
      hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  }
  return Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
}

/** `date` (now by default) as a `datetime-local` input holds it, to the second, in `zone`. */
export function nowIn(zone, date = new Date()) {
  const p = parts(date, zone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** `date`'s (now by default) day in `zone`, as a `date` input holds it. */
export function todayIn(zone, date = new Date()) {
  const p = parts(date, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * The instant `text` (RFC 3339, as the engine writes one) as a reader of `lang` reads it on the
 * playbook's clock (`zone`, named): "22 Dec 2026, 09:39 (Asia/Seoul)"; the text itself when it
 * is not a time.
 */
export function readableIn(text, zone, lang = 'en') {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  const options = { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' };
  try {
    return `${new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { ...options, timeZone: zone }).format(date)} (${zone})`;
  } catch {
    return `${new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { ...options, timeZone: 'UTC' }).format(date)} (UTC)`;
  }
}
