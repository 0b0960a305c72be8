// The board at 2,000 and 20,000 deals: what the server answers and how fast, and what a person
// waits for in Chromium. A benchmark, not a test: never run by CI, its figures depend on the
// machine.
//
//   cargo build --release -p stagegate-server
//   npm --prefix web run build
//   STAGEGATE_SERVICE=target/release/stagegate-server node web/scripts/bench-board.mjs
//
// It starts the server (as the board's tests do, `server.mjs`), imports deals through the API (a
// manager importing for reps, each deal with its stage and a history, several requests at once),
// 2,000 first and then up to 20,000, spread over the stages of the bundled playbook. At each size:
//
// - the API, timed from this process over loopback (the median of RUNS calls, and the slowest):
//   `GET /board` (first page), `GET /board?limit=0&card=<id>` (what the board asks after a move or a
//   live change: one card and every column's totals over the whole filter), `GET /board?q=...`, an
//   allowed and a refused `POST /deals/{id}/moves`;
// - the page, in Chromium (playwright-core, CHROMIUM or /usr/bin/chromium): first render (sign-in
//   to cards shown), drag to answer for a refused and an allowed move (drop to `body[data-moves]`
//   counting the answer), search to result (`#filter-q`, submitted, until only matching cards
//   show), and the bytes of every `GET /board` answer the page read after a drag.
//
// Environment: DEALS ("2000,20000"), RUNS (15), CONCURRENCY (8 requests at once while importing),
// CHROMIUM. A measurement the page cannot make (a selector missing) is a row saying why.
import { chromium } from 'playwright-core';
import { startService } from './server.mjs';

const SIZES = (process.env.DEALS ?? '2000,20000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 15);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const STAGES = ['lead_generation', 'qualification', 'needs_analysis', 'proposal_negotiation', 'closing', 'onboarding', 'retention_expansion', 'lost'];
const OWNERS = ['rex', 'han', 'mia', 'ada'];
const DAY = 86_400_000;

/** Deal number `n`: its stage by `n`, entered up to 60 days ago, with what leaving lead generation asks. */
function deal(n) {
  const stage = STAGES[n % STAGES.length];
  const entered = new Date(Date.now() - ((n % 60) + 1) * DAY).toISOString();
  return {
    id: `B-${String(n).padStart(6, '0')}`,
    stage,
    owner: OWNERS[n % OWNERS.length],
    fields: { amount: 1000 + (n % 200) * 1000, industry: 'saas', employees: 50 + (n % 500), decision_maker: `CFO of Company ${n}` },
    activities: { inbound_marketing: new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10) },
    history: [{ at: entered, to: stage }],
  };
}

/** Imports deals `from` to `to` - 1 through the API, CONCURRENCY at once: the seconds it took. */
async function load(service, from, to) {
  const started = performance.now();
  let next = from;
  const worker = async () => {
    while (next < to) {
      const n = next;
      next += 1;
      const made = await service.call('mia', 'POST', '/deals', deal(n));
      if (made.status !== 201) throw new Error(`deal ${n}: ${made.status} ${JSON.stringify(made.body)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (performance.now() - started) / 1000;
}

/** One timed call: milliseconds, status, bytes of the body. */
async function timed(service, user, method, path, body) {
  const started = performance.now();
  const response = await fetch(new URL(path, service.base), {
    method,
    headers: { Authorization: `Bearer ${service.token(user)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { ms: performance.now() - started, status: response.status, bytes: Buffer.byteLength(text) };
}

/** The median and the largest of `values`. */
function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
}

const ms = (value) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);

/** The API's answers at this size: rows of [what, median, max, bytes]. */
async function measureApi(service, size, movable) {
  const rows = [];
  const repeat = async (what, call) => {
    const results = [];
    for (let run = 0; run < RUNS; run += 1) results.push(await call(run));
    const bad = results.find((r) => r.expect !== undefined && r.status !== r.expect);
    if (bad) throw new Error(`${what}: status ${bad.status}`);
    const { median, max } = spread(results.map((r) => r.ms));
    rows.push([what, ms(median), ms(max), `${results[0].bytes.toLocaleString('en')} B`]);
  };
  const card = deal(size - 1).id;
  await repeat('GET /board (first page, 50 cards a column)', async () => ({ ...(await timed(service, 'rex', 'GET', '/board')), expect: 200 }));
  await repeat('GET /board?limit=0&card=<id> (after a move or a live change)', async () => ({ ...(await timed(service, 'rex', 'GET', `/board?limit=0&card=${card}`)), expect: 200 }));
  await repeat('GET /board?q=<text> (search)', async (run) => ({ ...(await timed(service, 'rex', 'GET', `/board?q=${encodeURIComponent(`Company ${size - 1 - run}`)}`)), expect: 200 }));
  await repeat('POST /deals/{id}/moves, refused (no transition)', async (run) => ({ ...(await timed(service, 'mia', 'POST', `/deals/${movable[run]}/moves`, { to: 'closing' })), expect: 409 }));
  await repeat('POST /deals/{id}/moves, allowed', async (run) => ({ ...(await timed(service, 'mia', 'POST', `/deals/${movable[run]}/moves`, { to: 'qualification' })), expect: 200 }));
  return rows;
}

/** What a person waits for in Chromium at this size: rows of [what, time, note]. */
async function measurePage(browser, service) {
  const rows = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en' });
  const page = await context.newPage();
  const attempt = async (what, measure) => {
    try {
      const [time, note] = await measure();
      rows.push([what, ms(time), note ?? '']);
    } catch (error) {
      rows.push([what, 'n/a', String(error.message ?? error).split('\n')[0]]);
    }
  };
  await attempt('first render (sign-in to cards shown)', async () => {
    await page.goto(service.base);
    await page.waitForSelector('body[data-ready="signed-out"]');
    await page.fill('#token', service.token('mia'));
    const started = performance.now();
    await page.click('#sign-in button[type="submit"]');
    await page.waitForSelector('body[data-ready="true"] .card[data-deal]', { timeout: 60_000 });
    return [performance.now() - started, `${await page.locator('.card[data-deal]').count()} cards in the page`];
  });
  const boardBytes = [];
  page.on('response', async (response) => {
    if (!new URL(response.url()).pathname.endsWith('/board')) return;
    try {
      boardBytes.push((await response.body()).length);
    } catch {
      boardBytes.push(Number(response.headers()['content-length'] ?? 0));
    }
  });
  /** Drags the first card of lead generation onto `to`: the milliseconds to the answer, and the bytes of board answers read meanwhile. */
  const drag = async (to) => {
    const id = await page.$eval('.column[data-stage="lead_generation"] .card[data-deal]', (e) => e.dataset.deal);
    const moves = Number(await page.evaluate(() => document.body.dataset.moves ?? 0));
    boardBytes.length = 0;
    const started = performance.now();
    await page.dragAndDrop(`.card[data-deal="${id}"][data-stage="lead_generation"]`, `.column[data-stage="${to}"]`);
    await page.waitForFunction((n) => Number(document.body.dataset.moves ?? 0) > n, moves, { timeout: 30_000 });
    const took = performance.now() - started;
    // Board reads the answer set off, if any, a moment after it.
    await page.waitForTimeout(500);
    const bytes = boardBytes.reduce((a, b) => a + b, 0);
    return [took, `${id}; GET /board after it: ${boardBytes.length} answer(s), ${bytes.toLocaleString('en')} B`];
  };
  await attempt('drag to answer, refused move (lead → closing)', () => drag('closing'));
  await attempt('drag to answer, allowed move (lead → qualification)', () => drag('qualification'));
  await attempt('search to result (#filter-q)', async () => {
    const wanted = 'B-000009';
    await page.waitForSelector('#filter-q', { timeout: 2000 });
    await page.fill('#filter-q', wanted);
    const started = performance.now();
    await page.press('#filter-q', 'Enter');
    await page.waitForFunction(
      (id) => {
        const cards = [...document.querySelectorAll('.card[data-deal]')];
        return cards.length > 0 && cards.every((card) => card.dataset.deal.includes(id));
      },
      wanted,
      { timeout: 30_000 },
    );
    return [performance.now() - started, ''];
  });
  await context.close();
  return rows;
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const service = await startService();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  let loaded = 0;
  for (const size of SIZES) {
    const seconds = await load(service, loaded, size);
    console.error(`imported ${size - loaded} deals in ${seconds.toFixed(1)} s (${((size - loaded) / seconds).toFixed(0)} a second)`);
    loaded = size;
    // Lead-generation deals for the moves, from the end (the first page's cards stay for the page).
    const movable = [];
    for (let n = size - 1; movable.length < RUNS * 2 && n >= 0; n -= 1) if (n % STAGES.length === 0) movable.push(deal(n).id);
    const api = await measureApi(service, size, movable);
    const pageRows = await measurePage(browser, service);
    console.log(`\n### ${size.toLocaleString('en')} deals (${new Date().toISOString().slice(0, 10)})\n`);
    console.log(table(['API call', 'median', 'slowest', 'answer'], api));
    console.log();
    console.log(table(['in Chromium', 'time', 'note'], pageRows));
  }
} finally {
  await browser.close();
  service.stop();
}
