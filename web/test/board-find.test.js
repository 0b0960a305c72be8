// Finding deals on the board, in a real browser: the search, the filters and the sort change the
// cards and the page's address (a reload and the browser's back keep them); the columns' headers
// stay in sight while the board scrolls, their totals in the playbook's currency; nine columns at
// 1280 px scroll sideways with a cue at the edge; a card reads in words (its name, its amount in
// the currency, its expected close date as that date in New York too); a drop where no transition
// leads says so in words, with titles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';
import { startService } from '../scripts/server.mjs';

const shots = new URL('../screenshots/', import.meta.url);
mkdirSync(shots, { recursive: true });
let service;
let browser;

/** A playbook of nine stages on its main path, in US dollars, naming its deals and their expected close. */
const WIDE = `stagegate: 1
id: wide
version: 1
title: Wide pipeline
value: amount
currency: USD
deal_name: name
expected_close: close_date
fields:
  amount: { type: number, title: Amount }
  name: { type: text, title: Deal name }
  close_date: { type: date, title: Expected close }
  size:
    type: enum
    title: Size
    values: [{ id: 10k_50k, title: { en: "10k–50k" } }, big]
stages:
  - { id: inbound, title: Inbound, probability: 0.05 }
  - { id: discovery, title: Discovery, probability: 0.1 }
  - { id: demo, title: Demo, probability: 0.6 }
  - { id: trial, title: Trial, probability: 0.65 }
  - { id: proposal, title: Proposal, probability: 0.7 }
  - { id: legal, title: Legal & procurement, probability: 0.8 }
  - { id: signature, title: Signature, probability: 0.9 }
  - { id: onboarding, title: Onboarding, probability: 1, outcome: won }
  - { id: renewal, title: Renewal }
  - { id: lost, title: Lost, outcome: lost }
transitions:
  - { from: inbound, to: discovery }
  - { from: discovery, to: demo }
  - { from: demo, to: trial }
  - { from: trial, to: proposal }
  - { from: proposal, to: legal }
  - { from: legal, to: signature }
  - { from: signature, to: onboarding }
  - { from: onboarding, to: renewal }
  - { from: [inbound, discovery, demo, trial, proposal, legal, signature], to: lost }
`;

/** A deal of the bundled playbook in qualification, owned by `owner`. */
const qualified = (id, owner, amount, since = '2026-11-20T09:00:00Z') => ({
  id,
  owner,
  stage: 'qualification',
  fields: { amount, budget: amount, decision_maker: 'CFO', timeline_days: 60, industry: 'saas' },
  history: [{ at: since, to: 'qualification' }],
});

before(async () => {
  service = await startService();
  const deals = [
    qualified('F-100', 'rex', 30000),
    qualified('F-200', 'rex', 90000),
    qualified('F-300', 'mia', 60000),
    // Ninety days in qualification, whose limit is 30: stalled.
    qualified('F-400', 'rex', 10000, '2026-09-01T09:00:00Z'),
  ];
  for (const deal of deals) {
    const made = await service.call('mia', 'POST', '/deals', deal);
    assert.equal(made.status, 201, JSON.stringify(made.body));
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'], ignoreDefaultArgs: ['--hide-scrollbars'] });
});

after(async () => {
  await browser?.close();
  service?.stop();
});

/** A page of the board signed in as `user` at `path`; console errors collected in `errors`. */
async function signedIn(user, { path = '', timezoneId = undefined } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(new URL(path, service.base).href);
  await page.waitForSelector('body[data-ready="signed-out"]');
  await page.fill('#token', service.token(user));
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  return { page, errors, context };
}

/** Chromium's own lines for the service's refusals, which the page shows: not the page's errors. */
const pageErrors = (errors) => errors.filter((e) => !/^Failed to load resource: the server responded with a status of (403|409|422) /.test(e));
const column = (stage) => `.column[data-stage="${stage}"]`;
/** The ids of the cards of a column, top to bottom. */
const ids = (page, stage) => page.locator(`${column(stage)} .card`).evaluateAll((cards) => cards.map((c) => c.dataset.deal));
/** Waits until the board drawn is the one the address asks for. */
const drawn = (page, address) => page.waitForFunction((a) => document.body.dataset.board === a, address);

test('the search, the filters and the sort change the cards and the address; a reload and back keep them', async () => {
  const { page, errors, context } = await signedIn('rex');
  assert.deepEqual(await ids(page, 'qualification'), ['F-100', 'F-200', 'F-300', 'F-400']);

  await page.check('#filter-mine');
  await drawn(page, '?owner=me');
  assert.equal(new URL(page.url()).searchParams.get('owner'), 'me');
  assert.deepEqual(await ids(page, 'qualification'), ['F-100', 'F-200', 'F-400'], 'rex\'s deals only');
  assert.match(await page.textContent(`${column('qualification')} .count`), /^3 deals$/, 'the server\'s count of the filter');

  await page.selectOption('#filter-sort', 'value:desc');
  await drawn(page, '?owner=me&sort=value%3Adesc');
  assert.deepEqual(await ids(page, 'qualification'), ['F-200', 'F-100', 'F-400'], 'largest first');

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await drawn(page, '?owner=me&sort=value%3Adesc');
  assert.equal(await page.isChecked('#filter-mine'), true, 'the reload keeps the filter');
  assert.equal(await page.inputValue('#filter-sort'), 'value:desc');
  assert.deepEqual(await ids(page, 'qualification'), ['F-200', 'F-100', 'F-400']);

  await page.check('#filter-stalled');
  await drawn(page, '?owner=me&stalled=true&sort=value%3Adesc');
  assert.deepEqual(await ids(page, 'qualification'), ['F-400']);
  assert.match(await page.textContent(`${column('qualification')} .card`), /stalled: \d+ d \(limit 30\)/);

  await page.goBack();
  await drawn(page, '?owner=me&sort=value%3Adesc');
  assert.equal(await page.isChecked('#filter-stalled'), false, 'back takes the filter off again');
  assert.deepEqual(await ids(page, 'qualification'), ['F-200', 'F-100', 'F-400']);

  await page.click('#filter-clear');
  await page.fill('#filter-q', 'f-3');
  await drawn(page, '?q=f-3');
  assert.deepEqual(await ids(page, 'qualification'), ['F-300'], 'found by its id, whoever owns it');
  await page.fill('#filter-q', 'mia');
  await drawn(page, '?q=mia');
  assert.deepEqual(await ids(page, 'qualification'), ['F-300'], 'found by its owner');
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('Finance\'s "needs my approval" shows the deals waiting for them', async () => {
  const example = parse(readFileSync(new URL('../../examples/deals/11-discount-approval.yaml', import.meta.url), 'utf8'));
  delete example.owner;
  delete example.playbook;
  for (const entry of example.history) delete entry.by;
  const made = await service.call('mia', 'POST', '/deals', { ...example, owner: 'rex', playbook: 'b2b-sales@1' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const { page, errors, context } = await signedIn('han', { path: '?approval=me' });
  await drawn(page, '?approval=me');
  assert.equal(await page.isChecked('#filter-approval'), true);
  const shown = await page.locator('.column .card').evaluateAll((cards) => cards.map((c) => c.dataset.deal));
  assert.deepEqual(shown, ['D-1011'], 'the discount waiting for Finance, nothing else');
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('nine columns at 1280 px: headers in sight while the board scrolls, totals in dollars, a cue at the cut edge; cards in words in New York', async () => {
  // Published for this test: a playbook in dollars with nine stages on its main path.
  const published = await service.call('ada', 'POST', '/playbooks/reload', { files: { 'wide.yaml': WIDE } });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  const wide = [
    { id: 'W-1', stage: 'demo', fields: { name: 'Acme rollout', amount: 100000, close_date: '2026-09-20', size: '10k_50k' } },
    { id: 'W-2', stage: 'demo', fields: { name: 'Globex pilot', amount: 42000, close_date: '2026-12-01' } },
  ];
  // Enough deals in discovery for its column to scroll.
  for (let n = 1; n <= 40; n += 1) {
    wide.push({ id: `W-D${String(n).padStart(2, '0')}`, stage: 'discovery', fields: { name: `Lead ${n}`, amount: 1000 * n } });
  }
  for (let start = 0; start < wide.length; start += 10) {
    const made = await Promise.all(wide.slice(start, start + 10).map((deal) => service.call('mia', 'POST', '/deals', {
      playbook: 'wide@1', owner: 'rex', history: [{ at: '2026-11-30T09:00:00Z', to: deal.stage }], ...deal,
    })));
    for (const one of made) assert.equal(one.status, 201, JSON.stringify(one.body));
  }
  // Scrollbars shown as a person's browser shows them (headless Chromium hides them unless told).
  const { page, errors, context } = await signedIn('rex', { path: '?playbook=wide', timezoneId: 'America/New_York' });
  await page.waitForFunction(() => document.querySelector('#pin')?.textContent === 'wide@1');
  assert.equal(await page.locator('.column').count(), 9);
  assert.equal(await page.innerText(`${column('demo')} .head`), 'Demo\n2 deals\n$142,000 · weighted $85,200');
  assert.equal(await page.textContent(`${column('demo')} h2`), 'Demo');
  // The card: its name above its id, the amount in dollars, the expected close as that date.
  const acme = page.locator('.card[data-deal="W-1"]');
  assert.equal(await acme.locator('.name').textContent(), 'Acme rollout');
  assert.equal(await acme.locator('.id').textContent(), 'W-1');
  assert.equal(await acme.locator('.value').textContent(), '$100,000');
  assert.equal(await acme.locator('.close-date').textContent(), 'closes Sep 20, 2026', 'not Sep 19 in New York');
  await page.screenshot({ path: new URL('board-wide.png', shots).pathname });

  // The board cut at the right: a shade and a button say so, and the scrollbar is there.
  const frame = await page.evaluate(() => {
    const columns = document.querySelector('#columns');
    const last = [...document.querySelectorAll('.column')].at(-1).getBoundingClientRect();
    return {
      cut: document.querySelector('#board-frame').classList.contains('cut-right'),
      scrollbar: columns.offsetHeight - columns.clientHeight,
      lastRight: last.right,
      width: window.innerWidth,
    };
  });
  assert.ok(frame.lastRight > frame.width, 'the last column is past the right edge');
  assert.ok(frame.cut, 'the edge is marked');
  assert.ok(frame.scrollbar >= 8, `a sideways scrollbar always shown (${frame.scrollbar} px)`);
  assert.equal(await page.isVisible('#scroll-right'), true);
  await page.click('#scroll-right');
  await page.waitForFunction(() => {
    const columns = document.querySelector('#columns');
    return columns.scrollLeft + columns.clientWidth >= columns.scrollWidth - 1;
  });
  await page.waitForFunction(() => !document.querySelector('#board-frame').classList.contains('cut-right'));
  assert.equal(await page.isVisible('#scroll-right'), false, 'no cue once the last column is in sight');
  const last = await page.locator('.column').last().boundingBox();
  assert.ok(last.x + last.width <= 1280, 'the last column whole');
  await page.evaluate(() => { document.querySelector('#columns').scrollLeft = 0; });

  // Scrolled down the long column (and the page), the headers stay in sight.
  await page.locator('.card[data-deal="W-D35"]').scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 2000);
  await page.waitForTimeout(200);
  assert.ok(await page.evaluate(() => document.querySelector('#columns').scrollTop) > 500, 'the board scrolled');
  for (const stage of ['discovery', 'demo']) {
    const box = await page.locator(`${column(stage)} .head`).boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 800, `${stage}'s header in sight: ${JSON.stringify(box)}`);
    const top = await page.evaluate((selector) => {
      const head = document.querySelector(selector).getBoundingClientRect();
      const hit = document.elementFromPoint(head.left + 10, head.top + 5);
      return hit?.closest('.head') !== null;
    }, `${column(stage)} .head`);
    assert.ok(top, `${stage}'s header is on top of the cards`);
  }
  assert.equal(await page.innerText(`${column('discovery')} .head`), 'Discovery\n40 deals\n$820,000 · weighted $82,000');
  await page.screenshot({ path: new URL('board-scrolled.png', shots).pathname });
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a drop where no transition leads reads in words, with titles: no id in backticks, no JSON', async () => {
  const { page, errors, context } = await signedIn('rex');
  const moves = Number(await page.evaluate(() => document.body.dataset.moves ?? 0));
  await page.dragAndDrop('.card[data-deal="F-100"][data-stage="qualification"]', column('onboarding'));
  await page.waitForFunction((n) => Number(document.body.dataset.moves ?? 0) > n, moves);
  const panel = await page.textContent('#panel');
  assert.match(panel, /Not moved: Qualification → Onboarding/);
  assert.doesNotMatch(panel, /`/, panel);
  assert.doesNotMatch(panel, /[{}[\]"]/, panel);
  assert.doesNotMatch(panel, /\b(qualification|onboarding|needs_analysis|proposal_negotiation)\b/, panel);
  assert.equal(await page.locator('.card[data-deal="F-100"][data-stage="qualification"]').count(), 1, 'the card stays');
  await page.waitForFunction(() => document.querySelector('.card.snapped') === null, null, { timeout: 2000 });
  await page.screenshot({ path: new URL('board-no-way.png', shots).pathname });
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a deal stored without stages shows in the first stage, in New York too, and opens', async () => {
  // An import with a history of its own and no `stages`: stored as it came.
  const made = await service.call('mia', 'POST', '/deals', {
    id: 'AX-3', playbook: 'b2b-sales@1', owner: 'rex', fields: { amount: 30000 }, history: [{ at: '2026-11-01T00:00:00Z', to: 'qualification' }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.deal.stages, undefined, 'stored without stages');
  const { page, errors, context } = await signedIn('rex', { timezoneId: 'America/New_York' });
  const shown = page.locator('.card[data-deal="AX-3"][data-stage="lead_generation"]');
  assert.match(await shown.textContent(), /AX-3.*30,000.*rex/);
  await shown.click();
  await page.waitForSelector('#deal[open]');
  assert.match(await page.textContent('#deal-title'), /AX-3/);
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});
