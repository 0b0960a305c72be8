// The deal page opened from the board, in a real browser, as a person reads it: approvals given
// ("approved by han") with no Approve button left, four eyes said in words to the approver, an
// approval asked for by the rep, a date-only history entry shown as that date in New York and
// Seoul, every shape of deal the service can hold opened without a script error, and titles
// where the playbook has them (no raw id, no raw JSON).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startService } from '../scripts/server.mjs';
import { discountDeal, pageErrors, signIn } from './board-session.js';

const shots = new URL('../screenshots/', import.meta.url);
mkdirSync(shots, { recursive: true });
let service;
let browser;
/** The bundled playbook's outline, as the service gives it. */
let outline;

/** Stores `deal` as the service would read it from an older store: straight into its database. */
function storeDirectly(deal, owner) {
  const text = JSON.stringify(deal).replaceAll("'", "''");
  const sql = `INSERT INTO deals (id, revision, document, owner) VALUES ('${deal.id}', 1, '${text}', '${owner}');`;
  const done = spawnSync('sqlite3', [join(service.dir, 'deals.sqlite3'), sql], { encoding: 'utf8' });
  assert.equal(done.status, 0, `sqlite3 (Debian's sqlite3 package) stores ${deal.id}: ${done.stderr ?? done.error}`);
}

before(async () => {
  service = await startService();
  for (const id of ['APR-1', 'APR-2']) {
    const made = await service.call('mia', 'POST', '/deals', discountDeal(id, 'rex'));
    assert.equal(made.status, 201, JSON.stringify(made.body));
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const pins = (await service.call('rex', 'GET', '/playbooks')).body.playbooks;
  outline = (await service.call('rex', 'GET', `/playbooks/${encodeURIComponent(pins[0])}/outline?lang=en`)).body;
});

after(async () => {
  await browser?.close();
  service?.stop();
});

/** The board signed in as `user` (900 px tall, to read more of a deal). */
function signedIn(user, options = {}) {
  return signIn(browser, service, user, { viewport: { width: 1280, height: 900 }, ...options });
}

/** Opens deal `id` the way the tasks and approvals pages link to it (`#deal=<id>`). */
async function openDeal(page, id) {
  await page.evaluate((wanted) => { location.hash = `#deal=${encodeURIComponent(wanted)}`; }, id);
  await page.waitForFunction((wanted) => document.querySelector('#deal')?.open && document.querySelector('#deal-title')?.textContent.startsWith(wanted), id);
  await page.waitForSelector('#deal-body h3');
}

/** What the open deal shows, as a person reads it (the rendered text, not the DOM's). */
function visible(page) {
  return page.evaluate(() => document.querySelector('#deal').innerText);
}

test('Finance approves: the Approve button goes, "approved by han" shows, and four eyes is said in words', async () => {
  const finance = await signedIn('han');
  await openDeal(finance.page, 'APR-1');
  const approve = finance.page.locator('#deal-body .approvals button', { hasText: 'Approve' });
  assert.equal(await approve.count(), 1, 'one approval to give');
  assert.match(await finance.page.textContent('#deal-body .approvals .waiting'), /Finance/);
  await approve.click();
  await finance.page.waitForFunction(() => document.querySelector('#deal-body [role="status"]')?.textContent === 'Approved.');
  assert.equal(await finance.page.locator('#deal-body button', { hasText: /^Approve$/ }).count(), 0, 'nothing left to approve');
  const given = finance.page.locator('#deal-body .approvals .given');
  assert.equal(await given.isVisible(), true);
  assert.match(await given.innerText(), /approved by han, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d\d [AP]M/);
  // The approver may not make the move their approval opened.
  const fourEyes = finance.page.locator('#deal-body .moves li.four-eyes');
  assert.equal(await fourEyes.count(), 1, await finance.page.textContent('#deal-body .moves'));
  assert.match(await fourEyes.innerText(), /Proposal & Negotiation → Closing: You approved this; another person makes the move\./);
  assert.equal(await fourEyes.locator('button').count(), 0, 'no move button that can only be refused');
  await finance.page.evaluate(() => { document.querySelector('#deal').scrollTop = document.querySelector('#deal').scrollHeight; });
  await finance.page.screenshot({ path: new URL('board-deal-approved.png', shots).pathname });
  assert.deepEqual(pageErrors(finance.errors), []);
  assert.deepEqual(finance.scriptErrors, []);

  // The owner reads the approval given, and may move.
  const rep = await signedIn('rex');
  await openDeal(rep.page, 'APR-1');
  assert.match(await rep.page.locator('#deal-body .approvals .given').innerText(), /approved by han/);
  assert.equal(await rep.page.locator('#deal-body .moves li.four-eyes').count(), 0);
  assert.match(await rep.page.locator('#deal-body .moves li', { hasText: 'Closing' }).first().innerText(), /allowed/);
  // The history says it in words.
  assert.match(await visible(rep.page), /Approval by Finance: given\tby han/);
  assert.doesNotMatch(await visible(rep.page), /discount_approved/, 'the approval by what it is for, never its id');
  await finance.context.close();
  await rep.context.close();
});

test('a rep asks Finance to approve: the deal says who asked and when, and Finance\'s queue lists it', async () => {
  const rep = await signedIn('rex');
  await openDeal(rep.page, 'APR-2');
  const ask = rep.page.locator('#deal-body .approvals button', { hasText: 'Ask Finance to approve' });
  assert.equal(await ask.count(), 1, await rep.page.textContent('#deal-body'));
  assert.equal(await rep.page.locator('#deal-body .approvals button', { hasText: /^Approve$/ }).count(), 0, 'the owner may not approve');
  await rep.page.fill('#deal-body .ask-note', 'Customer signs Friday');
  await ask.click();
  const routes = (await service.call('han', 'GET', '/approvals')).status !== 404;
  if (!routes) {
    // A server before approval requests: the page says so, and nothing breaks.
    await rep.page.waitForFunction(() => /does not take approval requests yet/.test(document.querySelector('#deal-body [role="status"]')?.textContent ?? ''));
    assert.deepEqual(rep.scriptErrors, []);
    await rep.context.close();
    return;
  }
  await rep.page.waitForFunction(() => /^Asked\./.test(document.querySelector('#deal-body [role="status"]')?.textContent ?? ''));
  const asked = rep.page.locator('#deal-body .approvals .asked');
  assert.match(await asked.innerText(), /^asked by rex, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d\d [AP]M$/);
  assert.deepEqual(await rep.page.locator('#deal-body .approvals button').allInnerTexts(), ['Remind Finance'], 'asked: a reminder is offered');
  assert.match(await visible(rep.page), /Approval by Finance: asked for “Customer signs Friday”\tby rex/);
  await rep.page.evaluate(() => document.querySelector('#deal-body .approvals').previousElementSibling.scrollIntoView({ block: 'start' }));
  await rep.page.screenshot({ path: new URL('board-deal-asked.png', shots).pathname });

  const finance = await signedIn('han');
  await finance.page.goto(new URL('web/approvals.html', service.base).href);
  await finance.page.waitForSelector('body[data-ready="true"]');
  const row = finance.page.locator('#approvals tbody tr[data-deal="APR-2"]');
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /asked by rex/);
  assert.match(await row.innerText(), /Customer signs Friday/);
  assert.deepEqual(pageErrors([...rep.errors, ...finance.errors]), []);
  assert.deepEqual([...rep.scriptErrors, ...finance.scriptErrors], []);
  await rep.context.close();
  await finance.context.close();
});

test('in Korean, the deal page speaks Korean: its approvals, moves and history', async () => {
  const { page, errors, scriptErrors, context } = await signedIn('han', { locale: 'ko-KR' });
  await openDeal(page, 'APR-2');
  const text = await visible(page);
  assert.match(await page.innerText('#deal-body .approvals'), /^재무 담당자 승인: /);
  assert.match(text, /제안 및 협상/, 'stage titles in Korean');
  assert.doesNotMatch(text, /Approval by|approved by|asked by|No history|Owner:/, 'no English words of the page');
  assert.deepEqual(pageErrors(errors), []);
  assert.deepEqual(scriptErrors, []);
  await context.close();
});

for (const timezoneId of ['America/New_York', 'Asia/Seoul']) {
  test(`a date-only history entry shows as that date in ${timezoneId}`, async () => {
    const id = `DATE-${timezoneId.split('/')[1]}`;
    const made = await service.call('mia', 'POST', '/deals', {
      id,
      owner: 'rex',
      stage: 'qualification',
      fields: { amount: 42000 },
      activities: { discovery_call: '2026-09-21' },
      history: [{ at: '2026-09-20', to: 'lead_generation' }, { at: '2026-09-22T02:30:00Z', from: 'lead_generation', to: 'qualification' }],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const { page, errors, scriptErrors, context } = await signedIn('rex', { timezoneId });
    await openDeal(page, id);
    const times = await page.locator('#deal-body table.history td.at').allInnerTexts();
    assert.equal(times[0], 'Sep 20, 2026', times.join(' | '));
    // A date-time is the reader's: 02:30 UTC is the evening before in New York, the morning in Seoul.
    assert.equal(times[1], timezoneId === 'Asia/Seoul' ? 'Sep 22, 2026, 11:30 AM' : 'Sep 21, 2026, 10:30 PM');
    assert.match(await page.locator('#deal-body .activities li', { hasText: 'Discovery' }).innerText(), /done Sep 21/);
    assert.deepEqual(pageErrors(errors), []);
    assert.deepEqual(scriptErrors, []);
    await context.close();
  });
}

test('every shape of deal the service can hold opens without a script error, in titles, with no raw id or JSON', async () => {
  const shapes = [];
  // What the API makes: a new deal (no activities), an import (entries `imported`), a deal in two
  // stages at once, an archived one.
  const fresh = await service.call('rex', 'POST', '/deals', { id: 'SHAPE-NEW' });
  assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
  shapes.push(['SHAPE-NEW', 'no activities']);
  const imported = await service.call('mia', 'POST', '/deals', {
    id: 'SHAPE-IMPORTED', owner: 'rex', stage: 'needs_analysis', fields: { amount: 75000, budget: 80000, industry: 'saas', decision_maker: 'CFO' },
    history: [{ at: '2026-10-01T09:00:00Z', to: 'lead_generation' }, { at: '2026-10-05T09:00:00Z', from: 'lead_generation', to: 'needs_analysis' }],
  });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  shapes.push(['SHAPE-IMPORTED', 'imported']);
  const forked = await service.call('mia', 'POST', '/deals', { id: 'SHAPE-FORKED', owner: 'rex', stages: ['needs_analysis', 'proposal_negotiation'], fields: { amount: 50000 } });
  assert.equal(forked.status, 201, JSON.stringify(forked.body));
  shapes.push(['SHAPE-FORKED', 'two stages']);
  const archived = await service.call('rex', 'POST', '/deals', { id: 'SHAPE-ARCHIVED', fields: { amount: 1000 } });
  assert.equal(archived.status, 201, JSON.stringify(archived.body));
  const gone = await service.call('rex', 'DELETE', '/deals/SHAPE-ARCHIVED?reason=Duplicate%20of%20SHAPE-NEW');
  assert.equal(gone.status, 200, JSON.stringify(gone.body));
  shapes.push(['SHAPE-ARCHIVED', 'archived']);
  // What an older store holds: a deal with only an id and fields (no stages, no history), one
  // with empty stages, one with stages and no history.
  const pin = outline.playbook;
  storeDirectly({ id: 'AX-3', playbook: pin, fields: { amount: 30000 } }, 'rex');
  shapes.push(['AX-3', 'no stages']);
  storeDirectly({ id: 'AX-4', playbook: pin, stages: [], fields: { industry: 'saas' } }, 'rex');
  shapes.push(['AX-4', 'empty stages']);
  storeDirectly({ id: 'AX-5', playbook: pin, stages: ['qualification'], fields: { amount: 5000 }, activities: { discovery_call: true } }, 'rex');
  shapes.push(['AX-5', 'no history']);

  // The ids the outline titles otherwise, that read as ids (never as words of a sentence).
  const titled = [
    ...outline.stages, ...outline.fields, ...outline.roles, ...(outline.scorecards ?? []),
    ...outline.stages.flatMap((s) => s.activities), ...outline.fields.flatMap((f) => f.values ?? []),
  ].filter((item) => item.title !== item.id && /_/.test(item.id));
  assert.ok(titled.length > 20, 'the playbook titles many of its ids');

  const { page, errors, scriptErrors, context } = await signedIn('rex');
  for (const [id, shape] of shapes) {
    await openDeal(page, id);
    const text = await visible(page);
    assert.match(await page.textContent('#deal-title'), new RegExp(`^${id} · `), shape);
    assert.doesNotMatch(text, /\{"/, `${shape}: raw JSON in sight`);
    assert.doesNotMatch(text, /undefined|null|\[object/, `${shape}: a value missing in sight`);
    const raw = titled.filter((item) => new RegExp(`(?<![\\w-])${item.id}(?![\\w-])`).test(text)).map((item) => item.id);
    assert.deepEqual(raw, [], `${shape}: ids in sight where the playbook has titles`);
    assert.match(text, /History/, shape);
    if (shape === 'archived') assert.match(text, /Archived by rex, .*: Duplicate of SHAPE-NEW/);
    if (shape === 'imported') assert.match(text, /Lead Generation → Needs Analysis.*imported/);
    if (shape === 'two stages') assert.match(await page.textContent('#deal-title'), /^SHAPE-FORKED · Needs Analysis & Solution Design, Proposal & Negotiation$/);
    if (shape === 'no stages') assert.match(await page.textContent('#deal-title'), /^AX-3 · Lead Generation$/, 'none recorded: the first stage');
    if (shape === 'no history') assert.match(text, /No history recorded\./);
    if (id === 'SHAPE-IMPORTED') {
      await page.evaluate(() => { document.querySelector('#deal').scrollTop = 0; });
      await page.screenshot({ path: new URL('board-deal-words.png', shots).pathname });
    }
    await page.click('#deal .close button');
  }
  assert.deepEqual(scriptErrors, []);
  assert.deepEqual(pageErrors(errors), []);
  await context.close();
});

test('an edit\'s history shows the enum value\'s label and the amount as money, never JSON', async () => {
  const { page, errors, scriptErrors, context } = await signedIn('rex');
  const made = await service.call('rex', 'POST', '/deals', { id: 'WORDS-1', fields: { amount: 1000 } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const industry = outline.fields.find((f) => f.id === 'industry');
  const choice = industry.values.at(-1);
  const edit = await service.call('rex', 'PATCH', '/deals/WORDS-1', { fields: { amount: 142000, industry: choice.id } });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  await openDeal(page, 'WORDS-1');
  const rows = await page.locator('#deal-body table.history tr').allInnerTexts();
  const amount = new Intl.NumberFormat('en-US', outline.currency ? { style: 'currency', currency: outline.currency, maximumFractionDigits: 0 } : {}).format(142000);
  assert.ok(rows.some((row) => row.includes(`${outline.fields.find((f) => f.id === 'amount').title}: `) && row.includes(`→ ${amount}`)), rows.join('\n'));
  assert.ok(rows.some((row) => row.includes(`${industry.title}: (not set) → ${choice.title}`)), rows.join('\n'));
  assert.deepEqual(pageErrors(errors), []);
  assert.deepEqual(scriptErrors, []);
  await context.close();
});

test('a new deal takes its name when the playbook names the field holding it, and the deal page shows it', async () => {
  const { page, errors, scriptErrors, context } = await signedIn('rex');
  await page.click('#new-deal');
  await page.fill('#new-deal-id', 'NAMED-1');
  if (!outline.deal_name) {
    assert.equal(await page.locator('#new-deal-name').count(), 0, 'no name asked for without `deal_name`');
    await context.close();
    return;
  }
  const label = outline.fields.find((f) => f.id === outline.deal_name).title;
  assert.equal(await page.textContent('label[for="new-deal-name"]'), label);
  await page.fill('#new-deal-name', 'Acme Logistics');
  await page.click('#panel button[type="submit"]');
  await page.waitForSelector('#deal[open]');
  assert.match(await page.textContent('#deal-title'), /^NAMED-1 · Acme Logistics · Lead Generation$/);
  assert.equal((await service.call('rex', 'GET', '/deals/NAMED-1')).body.deal.fields[outline.deal_name], 'Acme Logistics');
  assert.deepEqual(pageErrors(errors), []);
  assert.deepEqual(scriptErrors, []);
  await context.close();
});
