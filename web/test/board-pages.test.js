// "My tasks" and "Waiting for my approval", in a real browser, with rex (a rep) and han (Finance)
// signed in at the same time in two browser contexts: rex's open tasks grouped by deal, overdue
// first, due dates in words, each deal linking to the board opened on it; Finance's queue of
// deals waiting for their approval, approving from it, four eyes refused in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startService } from '../scripts/server.mjs';
import { discountDeal, pageErrors, signIn } from './board-session.js';

const shots = new URL('../screenshots/', import.meta.url);
mkdirSync(shots, { recursive: true });
const DAY = 24 * 3600 * 1000;
let service;
let browser;
/** Whether the server lists approvals (`GET /approvals`). */
let queue;

/** A time `ms` from now, RFC 3339 to the second. */
const from = (ms) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  service = await startService();
  const deals = [
    // Overdue by three days (less an hour: a part day counts as one), and one due in five days.
    {
      id: 'TASK-LATE', owner: 'rex', stage: 'needs_analysis', fields: { amount: 64000 },
      history: [{ at: from(-20 * DAY), to: 'needs_analysis' }],
      tasks: { stakeholder_mapping: { stage: 'needs_analysis', due: from(-3 * DAY + 3600 * 1000), assignee: 'rex' } },
    },
    {
      id: 'TASK-SOON', owner: 'rex', stage: 'needs_analysis', fields: { amount: 12000 },
      history: [{ at: from(-2 * DAY), to: 'needs_analysis' }],
      tasks: {
        stakeholder_mapping: { stage: 'needs_analysis', due: from(5 * DAY), assignee: 'rex' },
        solution_design: { stage: 'needs_analysis', due: from(9 * DAY), assignee: 'rex' },
      },
    },
    // Due within the hour: today (tomorrow's date when the hour crosses midnight).
    {
      id: 'TASK-TODAY', owner: 'rex', stage: 'needs_analysis', fields: { amount: 5000 },
      history: [{ at: from(-1 * DAY), to: 'needs_analysis' }],
      tasks: { stakeholder_mapping: { stage: 'needs_analysis', due: from(30 * 60 * 1000), assignee: 'rex' } },
    },
    // Someone else's task, and one for Finance.
    {
      id: 'TASK-MIA', owner: 'mia', stage: 'needs_analysis', fields: { amount: 1000 },
      history: [{ at: from(-2 * DAY), to: 'needs_analysis' }],
      tasks: { stakeholder_mapping: { stage: 'needs_analysis', due: from(1 * DAY), assignee: 'mia' } },
    },
    {
      id: 'TASK-FIN', owner: 'mia', stage: 'needs_analysis', fields: { amount: 1000 },
      history: [{ at: from(-2 * DAY), to: 'needs_analysis' }],
      tasks: { solution_design: { stage: 'needs_analysis', due: from(2 * DAY), role: 'finance' } },
    },
    discountDeal('Q-1', 'rex'),
    discountDeal('Q-2', 'rex'),
  ];
  for (const deal of deals) {
    const made = await service.call('mia', 'POST', '/deals', deal);
    assert.equal(made.status, 201, `${deal.id}: ${JSON.stringify(made.body)}`);
  }
  queue = (await service.call('han', 'GET', '/approvals')).status === 200;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  service?.stop();
});

/** A browser context signed in as `user` on the board, then on `path`. */
async function signedIn(user, path) {
  const signed = await signIn(browser, service, user, { timezoneId: 'UTC' });
  const { page } = signed;
  await page.goto(new URL(path, service.base).href);
  await page.waitForSelector('body[data-ready="true"]');
  return signed;
}

/** axe-core's serious and critical violations on `page`. */
async function audit(page) {
  await page.addScriptTag({ path: fileURLToPath(import.meta.resolve('axe-core/axe.min.js')) });
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

test('signed out, each page links back to the board to sign in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const path of ['web/tasks.html', 'web/approvals.html']) {
    await page.goto(new URL(path, service.base).href);
    await page.waitForSelector('body[data-ready="signed-out"]');
    assert.equal(await page.isVisible('#main'), false);
    assert.equal(await page.getAttribute('#signed-out a', 'href'), '/');
    assert.match(await page.innerText('#signed-out'), /You are not signed in\.\s+Sign in on the board/);
  }
  await context.close();
});

test('rex reads his tasks and han reads Finance\'s, signed in at the same time; a deal opens on the board', async () => {
  const rex = await signedIn('rex', 'web/tasks.html');
  const han = await signedIn('han', 'web/tasks.html');
  // Rex: his deals only, the overdue one first, then due soonest.
  const groups = rex.page.locator('#tasks > li');
  assert.deepEqual(await groups.evaluateAll((all) => all.map((g) => g.dataset.deal)), ['TASK-LATE', 'TASK-TODAY', 'TASK-SOON']);
  const late = await groups.nth(0).innerText();
  assert.match(late, /^TASK-LATE in Needs Analysis & Solution Design · 1 task\n/);
  assert.match(late, /Stakeholder mapping · 3 days overdue · for you/);
  const day = (ms) => new Date(Date.now() + ms).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC', ...(new Date(Date.now() + ms).getUTCFullYear() === new Date().getUTCFullYear() ? {} : { year: 'numeric' }) });
  const today = new Date(Date.now() + 30 * 60 * 1000).toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10);
  assert.deepEqual(await groups.nth(1).locator('li').allInnerTexts(), [`Stakeholder mapping · ${today ? 'due today' : `due ${day(30 * 60 * 1000)}`} · for you`]);
  const soon = await groups.nth(2).locator('li').allInnerTexts();
  assert.deepEqual(soon, [`Stakeholder mapping · due ${day(5 * DAY)} · for you`, `Tailored solution design · due ${day(9 * DAY)} · for you`]);
  assert.equal(await rex.page.locator('#tasks .task.overdue .due').evaluate((e) => getComputedStyle(e).color), 'rgb(155, 28, 28)', 'overdue in red');
  assert.equal(await rex.page.isVisible('#none'), false);
  await rex.page.screenshot({ path: new URL('board-tasks.png', shots).pathname });
  assert.deepEqual(await audit(rex.page), [], 'axe-core on the tasks page');

  // Han: the task for Finance, by its role's title.
  assert.deepEqual(await han.page.locator('#tasks > li').evaluateAll((all) => all.map((g) => g.dataset.deal)), ['TASK-FIN']);
  assert.match(await han.page.innerText('#tasks'), /Tailored solution design · due .* · for Finance/);

  // A deal's link opens the board on it.
  await Promise.all([rex.page.waitForURL(/\/#deal=TASK-LATE$/), rex.page.click('#tasks a:has-text("TASK-LATE")')]);
  await rex.page.waitForSelector('#deal[open]');
  assert.match(await rex.page.textContent('#deal-title'), /^TASK-LATE · Needs Analysis/);
  assert.match(await rex.page.innerText('#deal-body .next-steps'), /Stakeholder mapping · 3 days overdue/);
  assert.deepEqual(pageErrors([...rex.errors, ...han.errors, ...rex.scriptErrors, ...han.scriptErrors]), []);
  await rex.context.close();
  await han.context.close();
});

test('Finance\'s queue: the deals waiting for their approval, approved from the queue; four eyes refused in words', async () => {
  const han = await signedIn('han', 'web/approvals.html');
  const rex = await signedIn('rex', 'web/tasks.html');
  if (queue) {
    // Rex asks for Q-1's approval from its deal page, while han has the queue open.
    await rex.page.goto(`${service.base}#deal=Q-1`);
    await rex.page.waitForSelector('#deal[open] .approvals');
    await rex.page.fill('#deal-body .ask-note', 'Customer signs Friday');
    await rex.page.click('#deal-body .approvals button:has-text("Ask Finance to approve")');
    await rex.page.waitForFunction(() => /^Asked\./.test(document.querySelector('#deal-body [role="status"]')?.textContent ?? ''));
  } else {
    // A server without the queue's route: the page says so, and nothing breaks.
    assert.equal(await han.page.innerText('#none'), 'This server does not list approvals yet.');
    // The queue as the agreed answer gives it (GET /approvals, in the browser only): approving
    // and four eyes are the server's own.
    const pin = (await service.call('han', 'GET', '/deals/Q-1')).body.deal.playbook;
    const waiting = (deal, requested) => ({
      deal, playbook: pin, owner: 'rex', stage: 'proposal_negotiation', criterion: 'discount_approved', role: 'finance',
      message: 'needs approval by Finance', value: 180000, requested,
    });
    await han.page.route((url) => url.pathname === '/approvals', (route) => route.fulfill({
      json: { approvals: [waiting('Q-1', { at: from(-3600 * 1000), by: 'rex', note: 'Customer signs Friday' }), waiting('Q-2', null)] },
    }));
  }
  await han.page.reload();
  await han.page.waitForSelector('body[data-ready="true"]');
  const rows = han.page.locator('#approvals tbody tr');
  assert.deepEqual(await rows.evaluateAll((all) => all.map((r) => r.dataset.deal)), ['Q-1', 'Q-2'], 'asked first');
  const first = (await rows.nth(0).locator('td').allInnerTexts()).map((cell) => cell.trim());
  assert.equal(first[0], 'Q-1');
  assert.equal(first[1], 'rex');
  assert.equal(first[2], 'Proposal & Negotiation');
  assert.equal(first[3], '$180,000', 'in the playbook\'s currency (USD)');
  assert.match(first[4], /Finance/);
  assert.match(first[5], /^asked by rex, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d\d [AP]M\nCustomer signs Friday$/);
  assert.equal((await rows.nth(1).locator('td').allInnerTexts())[5].trim(), 'not asked');
  await han.page.screenshot({ path: new URL('board-approvals.png', shots).pathname });
  assert.deepEqual(await audit(han.page), [], 'axe-core on the approvals page');

  // Approved from the queue: the row goes, and the deal holds the approval.
  await rows.nth(0).locator('button:has-text("Approve")').click();
  await han.page.waitForFunction(() => document.querySelector('#done')?.textContent === 'Approved Q-1.');
  assert.deepEqual(await rows.evaluateAll((all) => all.map((r) => r.dataset.deal)), ['Q-2']);
  assert.equal(await han.page.isVisible('#none'), false);
  assert.equal((await service.call('han', 'GET', '/deals/Q-1')).body.deal.approvals.discount_approved.by, 'han');

  // Q-2 becomes han's own deal meanwhile: four eyes refuses, and the row says why in words.
  const handed = await service.call('mia', 'PATCH', '/deals/Q-2', { owner: 'han' });
  assert.equal(handed.status, 200, JSON.stringify(handed.body));
  await rows.nth(0).locator('button:has-text("Approve")').click();
  await han.page.waitForFunction(() => /^Not approved \(Q-2\): /.test(document.querySelector('#approvals .outcome')?.textContent ?? ''));
  assert.match(await han.page.innerText('#approvals .outcome'), /own|owner/);
  assert.doesNotMatch(await han.page.innerText('body'), /\{"/);
  assert.equal(await rows.count(), 1, 'the refused row stays');
  assert.deepEqual(pageErrors([...rex.errors, ...han.errors, ...rex.scriptErrors, ...han.scriptErrors]), []);
  await rex.context.close();
  await han.context.close();
});
