// The pipeline board, served by the server, in a real browser: cards dragged to a
// blocked stage snap back with every reason; filled in, they move; a rep cannot force, a manager
// can; an admin opens the workbench on the service's playbook and publishes through it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { parse } from 'yaml';
import { startService } from '../scripts/server.mjs';
import { labelsOffTheirInputs } from './layout.js';

const shots = new URL('../screenshots/', import.meta.url);
const bundled = parse(readFileSync(new URL('../../playbooks/b2b-sales.yaml', import.meta.url), 'utf8'));
/** How many fields the bundled playbook declares. */
const FIELDS = Object.keys(bundled.fields).length;
/** An amount as the board writes it: in the bundled playbook's currency when it declares one. */
const money = (n) => (bundled.currency
  ? new Intl.NumberFormat('en-US', { style: 'currency', currency: bundled.currency, maximumFractionDigits: 0 }).format(n)
  : new Intl.NumberFormat('en-US').format(n));
mkdirSync(shots, { recursive: true });
let service;
let browser;

// Everything qualification asks for but the customer's need; and a deal blocked on much more.
const ready = {
  id: 'ACME-1',
  stage: 'qualification',
  fields: { amount: 42000, budget: 50000, decision_maker: 'CFO', timeline_days: 60, industry: 'saas' },
  activities: { discovery_call: '2026-11-20' },
  history: [{ at: '2026-11-02T09:30:00Z', to: 'lead_generation' }, { at: '2026-11-10T14:00:00Z', from: 'lead_generation', to: 'qualification' }],
};
const far = {
  id: 'BETA-2',
  stage: 'qualification',
  fields: { amount: 12000, budget: 8000, timeline_days: 200 },
  history: [{ at: '2026-09-01T09:00:00Z', to: 'qualification' }],
};

before(async () => {
  service = await startService();
  for (const deal of [ready, far]) {
    // Deals brought in a later stage with a history are an import: a manager's, for rex.
    const made = await service.call('mia', 'POST', '/deals', { ...deal, owner: 'rex' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  }
  // Scrollbars shown as a person's browser shows them (headless Chromium hides them unless told).
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'], ignoreDefaultArgs: ['--hide-scrollbars'] });
});

after(async () => {
  await browser?.close();
  service?.stop();
});

/** A page of the board signed in as `user`, in `lang`; console errors collected in `errors`. */
async function signedIn(user, lang = 'en', server = service) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(server.base);
  await page.waitForSelector('body[data-ready="signed-out"]');
  await page.fill('#token', server.token(user));
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  return { page, errors, context };
}

/**
 * The console errors that are the page's: Chromium also logs every answer of 4xx as an error,
 * and a refused move (409, 403) or a refused publish (422) is an answer the page shows.
 */
function pageErrors(errors) {
  return errors.filter((e) => !/^Failed to load resource: the server responded with a status of (403|409|422) /.test(e));
}

const card = (id, stage) => `.card[data-deal="${id}"][data-stage="${stage}"]`;
const column = (stage) => `.column[data-stage="${stage}"]`;

/**
 * Drags a card onto a column and waits for the service's answer to be shown; `options` as
 * playwright's (a tall column is better dropped on near its top, in sight).
 */
async function drag(page, id, from, to, options = {}) {
  const moves = Number(await page.evaluate(() => document.body.dataset.moves ?? 0));
  await page.dragAndDrop(card(id, from), column(to), options);
  await page.waitForFunction((n) => Number(document.body.dataset.moves ?? 0) > n, moves);
  // A card that snapped back has finished shaking (for the screenshots).
  await page.waitForFunction(() => document.querySelector('.card.snapped') === null, null, { timeout: 2000 });
}

test('a wrong token is refused with the reason, and the page asks again', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(service.base);
  await page.fill('#token', 'sgt_not-a-token');
  await page.click('#sign-in button[type="submit"]');
  await page.waitForFunction(() => /not valid/.test(document.querySelector('#sign-in-error')?.textContent ?? ''));
  assert.equal(await page.isVisible('#sign-in'), true);
  await context.close();
});

test('a rep drags a card to a blocked stage, reads why, fills the field and drags again', async () => {
  const { page, errors, context } = await signedIn('rex');
  assert.equal(await page.locator('.column').count(), 7, 'a column per stage of the main path');
  assert.equal(await page.isVisible('#workbench'), false, 'the workbench is for admins');
  const shown = await page.textContent(card('ACME-1', 'qualification'));
  assert.match(shown, /ACME-1/);
  assert.match(shown, /42,000/);
  assert.match(shown, /d in stage/);
  assert.match(shown, /Lead score: /);
  assert.match(await page.textContent(card('BETA-2', 'qualification')), /stalled: \d+ d \(limit 30\)/);
  await page.screenshot({ path: new URL('board.png', shots).pathname });

  await drag(page, 'ACME-1', 'qualification', 'needs_analysis');
  assert.equal(await page.getAttribute('#panel', 'class'), 'refused');
  const panel = await page.textContent('#panel');
  assert.match(panel, /Not moved: Qualification → Needs Analysis/);
  assert.match(panel, /Need/);
  assert.equal(await page.locator(card('ACME-1', 'qualification')).count(), 1, 'the card snapped back');
  assert.equal(await page.locator('#force-reason').count(), 0, 'a rep may not force');
  assert.match(panel, /Only Sales manager may force this move\./);
  await page.screenshot({ path: new URL('board-refused.png', shots).pathname });

  // The panel's button opens the deal at the missing field.
  await page.click('#panel button:has-text("Fill")');
  await page.waitForSelector('#deal[open] #field-need');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-need');
  assert.equal(await page.inputValue('#field-industry'), 'saas');
  assert.equal(await page.getAttribute('#field-last_touch', 'type'), 'date');
  const layout = await labelsOffTheirInputs(page, '#deal-body form.fields');
  assert.equal(layout.checked, FIELDS, 'a label per field of the playbook');
  assert.deepEqual(layout.off, []);
  await page.fill('#field-need', 'Quotes take two weeks; they want them in a day');
  await page.click('#deal-body button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#deal-body [role="status"]')?.textContent === 'Saved.');
  await page.evaluate(() => { document.querySelector('#deal').scrollTop = 0; });
  await page.screenshot({ path: new URL('board-deal.png', shots).pathname });
  await page.click('#deal .close button');

  await drag(page, 'ACME-1', 'qualification', 'needs_analysis');
  assert.equal(await page.getAttribute('#panel', 'class'), 'moved');
  assert.match(await page.textContent('#panel'), /Moved: Qualification → Needs Analysis/);
  // What the move set in motion: the stage's tasks, for the deal's owner, with their due dates.
  const effects = await page.locator('#panel .effects li').allTextContents();
  assert.equal(effects.length, 2, effects.join('\n'));
  assert.match(effects[0], /^Task: Stakeholder mapping, for rex, due \w{3} \d+, 20\d\d, \d+:\d\d [AP]M \(on entering Needs Analysis & Solution Design\)$/);
  assert.match(await page.getAttribute('#panel .effects li', 'title'), /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d/, 'the exact time on hover');
  await page.screenshot({ path: new URL('board-moved.png', shots).pathname });
  assert.equal(await page.locator(card('ACME-1', 'needs_analysis')).count(), 1);
  assert.equal(await page.locator(card('ACME-1', 'qualification')).count(), 0);
  const stored = await service.call('rex', 'GET', '/deals/ACME-1');
  assert.equal(stored.body.deal.fields.need, 'Quotes take two weeks; they want them in a day');
  assert.equal(stored.body.deal.history.at(-1).by, 'rex', 'the move says who made it');
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a manager forces a blocked move with a reason; the history records it', async () => {
  const { page, errors, context } = await signedIn('mia');
  await drag(page, 'BETA-2', 'qualification', 'needs_analysis');
  assert.match(await page.textContent('#panel'), /Budget/);
  // The reason is required.
  await page.click('#panel .force button[type="submit"]');
  assert.equal(await page.evaluate(() => document.querySelector('#force-reason').validity.valueMissing), true);
  await page.fill('#force-reason', 'CEO referral: budget approved by phone');
  await page.screenshot({ path: new URL('board-force.png', shots).pathname });
  await page.click('#panel .force button[type="submit"]');
  await page.waitForFunction(() => /Forced: /.test(document.querySelector('#panel')?.textContent ?? ''));
  assert.equal(await page.locator(card('BETA-2', 'needs_analysis')).count(), 1);
  const stored = await service.call('mia', 'GET', '/deals/BETA-2');
  const last = stored.body.deal.history.at(-1);
  assert.deepEqual([last.forced, last.reason, last.by], [true, 'CEO referral: budget approved by phone', 'mia']);
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('in Korean, the board and its reasons are in Korean', async () => {
  const { page, errors, context } = await signedIn('rex', 'ko');
  await page.selectOption('#lang', 'ko');
  await page.waitForFunction(() => /자격 검증/.test(document.querySelector('#columns')?.textContent ?? ''));
  const made = await service.call('mia', 'POST', '/deals', { ...far, id: 'GAMMA-3', owner: 'rex' });
  assert.equal(made.status, 201);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await drag(page, 'GAMMA-3', 'qualification', 'needs_analysis');
  const panel = await page.textContent('#panel');
  assert.match(panel, /이동 불가/);
  assert.match(panel, /예산/);
  await page.screenshot({ path: new URL('board-ko.png', shots).pathname });
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('an admin opens the workbench on the service\'s playbook; a broken one is not published, a fixed one is', async () => {
  const { page, errors, context } = await signedIn('ada');
  await Promise.all([page.waitForURL(/\/web\/index\.html\?service$/), page.click('#workbench')]);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await page.isVisible('#publish'), true);
  assert.equal(await page.textContent('#pin'), 'b2b-sales@1');
  // `version: 1` → `version: 2x`: the editor underlines it; the service refuses it.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let n = 1; n < 66; n += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('2x');
  await page.waitForFunction(() => document.querySelector('#diagnostics li.error') !== null);
  await page.click('#publish');
  await page.waitForSelector('#published.error li');
  assert.match(await page.textContent('#published'), /not published/);
  assert.match(await page.textContent('#published li'), /^b2b-sales\.yaml:66:/);
  const file = join(service.dir, 'playbooks', 'b2b-sales.yaml');
  assert.doesNotMatch(readFileSync(file, 'utf8'), /version: 2x/, 'nothing was written');
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let n = 1; n < 66; n += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelector('#diagnostics li.error') === null);
  await page.click('#publish');
  await page.waitForSelector('#published.published');
  assert.match(await page.textContent('#published'), /b2b-sales@2/);
  assert.match(readFileSync(file, 'utf8'), /^version: 2$/m);
  await page.screenshot({ path: new URL('board-workbench.png', shots).pathname });
  // Another change under the same version is published only when asked twice, after the warning.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.type(' (edited)');
  await page.waitForFunction(() => document.querySelector('#pin')?.textContent === 'b2b-sales@2');
  await page.click('#publish');
  await page.waitForFunction(() => /already runs with another text/.test(document.querySelector('#published')?.textContent ?? ''));
  assert.doesNotMatch(readFileSync(file, 'utf8'), /\(edited\)/, 'not yet');
  await page.click('#publish');
  await page.waitForSelector('#published.published');
  assert.match(readFileSync(file, 'utf8'), /\(edited\)/);
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a rep makes a new deal from the board; an id already taken is refused with the reason', async () => {
  const { page, errors, context } = await signedIn('rex');
  await page.click('#new-deal');
  await page.fill('#new-deal-id', 'DELTA-4');
  await page.click('#panel button[type="submit"]');
  await page.waitForSelector('#deal[open]');
  assert.match(await page.textContent('#deal-title'), /^DELTA-4 · Lead Generation$/);
  await page.click('#deal .close button');
  assert.equal(await page.locator(card('DELTA-4', 'lead_generation')).count(), 1);
  const stored = await service.call('rex', 'GET', '/deals/DELTA-4');
  assert.equal(stored.body.owner, 'rex');
  // Any one of several activities: a button for each.
  await drag(page, 'DELTA-4', 'lead_generation', 'qualification');
  const offered = await page.locator('#panel button:has-text("Do ")').allTextContents();
  assert.ok(offered.includes('Do Outbound outreach') && offered.includes('Do Inbound marketing'), offered.join(', '));
  await page.click('#panel button:has-text("Do Outbound outreach")');
  await page.waitForSelector('#deal[open]');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'activity-outbound_outreach');
  await page.check('#activity-outbound_outreach');
  await page.waitForFunction(() => document.querySelector('#deal-body [role="status"]')?.textContent === 'Saved.');
  // Ticked through the engine's edit: when, and who ticked it.
  const ticked = (await service.call('rex', 'GET', '/deals/DELTA-4')).body.deal.activities.outbound_outreach;
  assert.match(ticked.at, /^20\d\d-\d\d-\d\d$/);
  assert.equal(ticked.by, 'rex');
  await page.click('#deal .close button');
  await page.click('#new-deal');
  await page.fill('#new-deal-id', 'DELTA-4');
  await page.click('#panel button[type="submit"]');
  await page.waitForFunction(() => /a deal with this id exists/.test(document.querySelector('#panel [role="alert"]')?.textContent ?? ''));
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a discount waits for Finance: the owner drags and reads why, Finance approves in the deal, the owner drags again', async () => {
  const example = parse(readFileSync(new URL('../../examples/deals/11-discount-approval.yaml', import.meta.url), 'utf8'));
  // The service records owners and who acted itself.
  delete example.owner;
  delete example.playbook;
  for (const entry of example.history) delete entry.by;
  const made = await service.call('mia', 'POST', '/deals', { ...JSON.parse(JSON.stringify(example)), owner: 'rex' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const rep = await signedIn('rex');
  await drag(rep.page, 'D-1011', 'proposal_negotiation', 'closing');
  assert.match(await rep.page.textContent('#panel'), /approval by Finance/);

  const finance = await signedIn('han');
  await finance.page.click(card('D-1011', 'proposal_negotiation'));
  await finance.page.waitForSelector('#deal[open]');
  await finance.page.click('#deal-body button:has-text("Approve")');
  await finance.page.waitForFunction(() => document.querySelector('#deal-body [role="status"]')?.textContent === 'Approved.');
  // Given, it counts: no Approve button is left, and the deal says who approved.
  assert.equal(await finance.page.locator('#deal-body button:has-text("Approve")').count(), 0);
  assert.match(await finance.page.textContent('#deal-body .approvals'), /approved by han/);
  await finance.page.screenshot({ path: new URL('board-approval.png', shots).pathname });

  await drag(rep.page, 'D-1011', 'proposal_negotiation', 'closing');
  assert.match(await rep.page.textContent('#panel'), /Moved: Proposal & Negotiation → Closing/);
  assert.deepEqual(pageErrors([...rep.errors, ...finance.errors]), []);
  await rep.context.close();
  await finance.context.close();
});

test('axe-core finds no serious or critical violations on the board, a refusal and a deal', async () => {
  const { page, context } = await signedIn('rex');
  await page.addScriptTag({ path: fileURLToPath(import.meta.resolve('axe-core/axe.min.js')) });
  const audit = () => page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  assert.deepEqual(await audit(), []);
  await page.click(card('BETA-2', 'needs_analysis'));
  await page.waitForSelector('#deal[open]');
  assert.deepEqual(await audit(), []);
  await context.close();
});

test('in a deal: a move asked from it answers beside the board; an unreadable number is not saved; a blank reason is asked for', async () => {
  const made = await service.call('mia', 'POST', '/deals', { ...far, id: 'EPS-5', owner: 'rex' });
  assert.equal(made.status, 201);
  const { page, errors, context } = await signedIn('mia');
  await page.click(card('EPS-5', 'qualification'));
  await page.waitForSelector('#deal[open]');
  await page.locator('#field-amount').pressSequentially('1e');
  await page.click('#deal-body button[type="submit"]');
  await page.waitForFunction(() => /^Deal amount \(USD\): .+ Nothing was saved\.$/.test(document.querySelector('#deal-body [role="status"]')?.textContent ?? ''));
  assert.equal((await service.call('mia', 'GET', '/deals/EPS-5')).body.deal.fields.amount, 12000, 'the amount stays');
  await page.click('#deal-body button:has-text("Move to Needs Analysis")');
  await page.waitForSelector('#panel.refused');
  assert.equal(await page.isVisible('#deal'), false, 'the deal closed so the answer can be read and used');
  await page.fill('#force-reason', '   ');
  await page.click('#panel .force button[type="submit"]');
  await page.waitForFunction(() => /Give the reason/.test(document.querySelector('#panel .force [role="alert"]')?.textContent ?? ''));
  assert.equal(await page.locator(card('EPS-5', 'qualification')).count(), 1, 'not forced');
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a token revoked while the board is open sends the page back to signing in', async () => {
  const { page, context } = await signedIn('han');
  service.revoke('han');
  await page.selectOption('#lang', 'ko');
  await page.waitForSelector('#sign-in:not([hidden])');
  assert.equal(await page.isVisible('#main'), false, 'no deal stays in sight');
  assert.match(await page.textContent('#sign-in-error'), /not valid/);
  await context.close();
});

test('with several playbooks, the board offers a choice and shows the one chosen', async () => {
  const tiny = 'stagegate: 1\nid: tiny\nversion: 1\nstages: [{id: open, title: Open}, {id: won, title: Won}]\ntransitions: [{from: open, to: won}]\n';
  const published = await service.call('ada', 'POST', '/playbooks/reload', { files: { 'tiny.yaml': tiny } });
  assert.equal(published.status, 200, JSON.stringify(published.body));
  const { page, errors, context } = await signedIn('rex');
  assert.equal(await page.isVisible('#playbook-choice'), true);
  assert.equal(await page.textContent('#pin'), 'b2b-sales@2');
  await page.selectOption('#playbook', 'tiny');
  await page.waitForFunction(() => document.querySelector('#pin')?.textContent === 'tiny@1');
  assert.deepEqual(await page.locator('.column .head').evaluateAll((heads) => heads.map((h) => h.innerText)), ['Open\n0 deals', 'Won\n0 deals']);
  // A new deal is made in the playbook shown (the service cannot guess it among several).
  await page.click('#new-deal');
  await page.fill('#new-deal-id', 'TINY-1');
  await page.click('#panel button[type="submit"]');
  await page.waitForSelector('#deal[open]');
  assert.equal((await service.call('rex', 'GET', '/deals/TINY-1')).body.deal.playbook, 'tiny@1');
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('a column of 130 deals shows its first 50 with the count and sums of all 130, loads more on demand; after a drag or a change in the feed only the deals that changed are read again', async () => {
  const own = await startService();
  try {
    const bulk = (n) => ({
      id: `BULK-${String(n).padStart(3, '0')}`,
      stage: 'needs_analysis',
      fields: { amount: 1000 * n },
      history: [{ at: '2026-11-30T09:00:00Z', to: 'needs_analysis' }],
    });
    for (let n = 1; n <= 130; n += 10) {
      const made = await Promise.all([...Array(10).keys()].map((k) => own.call('mia', 'POST', '/deals', { ...bulk(n + k), owner: 'rex' })));
      for (const one of made) assert.equal(one.status, 201, JSON.stringify(one.body));
    }
    const { page, errors, context } = await signedIn('rex', 'en', own);
    const boards = [];
    page.on('request', (request) => { if (new URL(request.url()).pathname === '/board') boards.push(new URL(request.url()).searchParams); });
    const here = column('needs_analysis');
    const cards = () => page.locator(`${here} .card`).count();
    assert.equal(await page.textContent(`${here} .count`), '130 deals', 'the server\'s count of the whole column');
    assert.equal(await cards(), 50, 'the first page');
    // Σ 1,000 + ... + 130,000 = 8,515,000; weighted by needs analysis's 25%.
    assert.equal(await page.textContent(`${here} .sums`), `${money(8515000)} · weighted ${money(2128750)}`);
    assert.match(await page.textContent(`${here} .more`), /^Show more \(80 left\)$/);
    // The button (the keyboard's way), pressed where it is, without scrolling the column to it.
    await page.locator(`${here} .more`).evaluate((button) => button.click());
    await page.waitForFunction((selector) => document.querySelectorAll(`${selector} .card`).length === 100, here);
    assert.equal(await page.textContent(`${here} .count`), '130 deals');
    await page.screenshot({ path: new URL('board-more.png', shots).pathname });
    // Scrolled to its last card, the column loads its next page by itself.
    await page.locator(`${here} .card`).last().scrollIntoViewIfNeeded();
    await page.waitForFunction((selector) => document.querySelectorAll(`${selector} .card`).length === 130, here);
    assert.equal(await page.locator(`${here} .more`).count(), 0, 'nothing more to load');
    const ids = await page.locator(`${here} .card`).evaluateAll((shown) => shown.map((c) => c.dataset.deal));
    assert.equal(new Set(ids).size, 130, 'every deal once');
    assert.deepEqual(boards.map((q) => q.get('column')), ['needs_analysis', 'needs_analysis'], 'one column asked for, twice');

    // A drag: the card moves by the move's answer; only that deal's card and the totals are asked again.
    await page.evaluate(() => { window.scrollTo(0, 0); document.querySelector('#columns').scrollTop = 0; });
    boards.length = 0;
    await drag(page, 'BULK-001', 'needs_analysis', 'qualification', { targetPosition: { x: 40, y: 20 } });
    assert.equal(await page.getAttribute('#panel', 'class'), 'moved', await page.textContent('#panel'));
    assert.equal(await page.locator(card('BULK-001', 'qualification')).count(), 1);
    assert.equal(await page.locator(card('BULK-001', 'needs_analysis')).count(), 0);
    assert.equal(await page.textContent(`${here} .count`), '129 deals');
    assert.equal(await page.textContent(`${column('qualification')} .count`), '1 deal');
    assert.ok(boards.length > 0 && boards.every((q) => q.get('limit') === '0' && q.getAll('card').join() === 'BULK-001'), boards.map(String).join(' '));

    // Someone else's change arrives through the change feed: the board asks for that deal and the totals only.
    boards.length = 0;
    const made = await own.call('mia', 'POST', '/deals', { ...bulk(131), owner: 'rex' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await page.waitForFunction((selector) => document.querySelector(`${selector} .count`)?.textContent === '130 deals', here, { timeout: 10000 });
    assert.equal(await page.locator(card('BULK-131', 'needs_analysis')).count(), 1, 'the new deal has its card');
    assert.ok(boards.length > 0 && boards.every((q) => q.get('limit') === '0' && q.getAll('card').includes('BULK-131')), boards.map(String).join(' '));

    // The search box: the server's `q`, its count and sums.
    await page.fill('#filter-q', 'bulk-12');
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction((selector) => document.querySelector(`${selector} .count`)?.textContent === '10 deals', here);
    assert.equal(await page.textContent(`${here} .sums`), `${money(1245000)} · weighted ${money(311250)}`, 'BULK-120 to BULK-129');
    assert.equal(await page.locator(`${here} .card`).count(), 10);
    assert.deepEqual(pageErrors(errors), []);
    await context.close();
  } finally {
    own.stop();
  }
});
