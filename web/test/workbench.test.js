// The workbench in a real browser: Chromium (the system's), headless, driven by playwright-core.
// (workbench-playbooks.test.js drives it with playbooks of other teams.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { labelsOffTheirInputs } from './layout.js';
import { BANT, pickExample, shots, useWorkbench } from './workbench-page.js';

/** How many fields the bundled playbook declares. */
const FIELDS = Object.keys(parse(readFileSync(new URL('../../playbooks/b2b-sales.yaml', import.meta.url), 'utf8')).fields).length;
const workbench = useWorkbench();
const open = () => workbench.open();

test('the workbench opens with the bundled playbook: no diagnostics, its diagram, its tests passing', async () => {
  const { page, errors, loaded } = await open();
  const timings = await page.evaluate(() => ({ ...document.body.dataset }));
  console.log(`ready in ${loaded} ms; in the page: ${JSON.stringify(timings)}`);
  assert.equal(await page.textContent('#pin'), 'b2b-sales@1');
  assert.equal(await page.textContent('#diagnostic-count'), '(none)');
  assert.ok(await page.locator('#diagram svg').count() === 1);
  assert.match(await page.textContent('#test-count'), /^\(\d+ passed, 0 failed\)$/);
  await page.screenshot({ path: new URL('workbench.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a mistake typed into the editor is underlined at its line, listed, and goes when fixed', async () => {
  const { page, errors } = await open();
  // The playbook's `version: 1` (line 66), mistyped as `version: 1x`.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let n = 1; n < 66; n += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.type('x');
  await page.waitForFunction(() => document.querySelector('#diagnostics li.error') !== null);
  const listed = await page.textContent('#diagnostics li.error');
  assert.match(listed, /^line \d+/);
  assert.equal(await page.locator('.cm-lintRange-error').count() > 0, true);
  assert.equal(await page.textContent('#pin'), 'does not load');
  await page.screenshot({ path: new URL('workbench-mistake.png', shots).pathname });
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelector('#diagnostics li.error') === null);
  assert.equal(await page.textContent('#pin'), 'b2b-sales@1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the editor completes keys from the format and ids from the playbook', async () => {
  const { page, errors } = await open();
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('timez');
  await page.waitForSelector('.cm-tooltip-autocomplete');
  assert.match(await page.textContent('.cm-tooltip-autocomplete'), /timezone/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('value: am');
  await page.waitForFunction(() => /amount/.test(document.querySelector('.cm-tooltip-autocomplete')?.textContent ?? ''));
  await page.screenshot({ path: new URL('workbench-completion.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a deal in the sandbox shows its scores, and every blocker of its blocked moves', async () => {
  const { page, errors } = await open();
  await pickExample(page, BANT);
  await page.waitForSelector('#evaluation li.blocked');
  const blocked = await page.textContent('#evaluation li.blocked');
  assert.match(blocked, /^Qualification → Needs Analysis & Solution Design: blocked/);
  assert.match(blocked, /Budget/);
  assert.match(await page.textContent('#evaluation'), /Lead score: 0 \(cold\)/);
  assert.doesNotMatch(await page.textContent('#evaluation'), /needs_analysis|lead_generation/, 'stages by their titles');
  // The long case names stay within the page: no sideways scroll.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page does not scroll sideways');
  assert.ok(await page.locator('#evaluation table').count() >= 1);
  await page.evaluate(() => document.querySelector('#evaluation').scrollIntoView());
  await page.screenshot({ path: new URL('workbench-sandbox.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('moves in the sandbox: a rep is refused with every reason and may not force; a manager may', async () => {
  const { page, errors } = await open();
  await pickExample(page, BANT);
  await page.waitForSelector('#evaluation li.blocked');
  await page.click('#evaluation button:has-text("Move to Needs Analysis & Solution Design")');
  await page.waitForSelector('#moved .error');
  assert.match(await page.textContent('#moved'), /Budget/);
  // Forcing it as a rep is forbidden, and says who may.
  await page.fill('#force', 'the customer confirmed the budget by phone');
  await page.click('#evaluation button:has-text("Move to Needs Analysis & Solution Design")');
  await page.waitForFunction(() => /only Sales manager may force/.test(document.querySelector('#moved')?.textContent ?? ''));
  assert.match(await page.textContent('#moved'), /Budget/);
  // A manager may force it: the deal moves and its history says it was forced.
  await page.check('#roles input[value="manager"]');
  await page.click('#evaluation button:has-text("Move to Needs Analysis & Solution Design")');
  await page.waitForSelector('#moved .moved');
  assert.match(await page.textContent('#moved'), /^Forced from Qualification to Needs Analysis & Solution Design\./);
  assert.match(await page.inputValue('#deal'), /needs_analysis/);
  assert.match(await page.inputValue('#deal'), /forced/);
  assert.equal(await page.inputValue('#force'), '', 'a reason forces one move, not the next');
  // The tasks it set, due on the playbook's clock in words, not as an RFC 3339 text.
  assert.match(await page.textContent('#moved'), /Task: Stakeholder mapping, for owner, due \d{1,2} \w{3} \d{4}, \d\d:\d\d \(UTC\)/);
  assert.doesNotMatch(await page.textContent('#moved'), /\dT\d/);
  assert.equal(await page.inputValue('#example'), '', 'the moved deal is no longer the example');
  await page.locator('#mover').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('workbench-move.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Korean, the same page answers in Korean', async () => {
  const { page, errors } = await open();
  await pickExample(page, BANT);
  await page.waitForSelector('#evaluation li.blocked');
  await page.selectOption('#lang', 'ko');
  await page.waitForFunction(() => /[가-힣]/.test(document.querySelector('#evaluation li.blocked')?.textContent ?? ''));
  assert.match(await page.textContent('#diagram svg'), /자격 검증/);
  assert.match(await page.textContent('#test-count'), /^\(통과 \d+, 실패 0\)$/);
  assert.match(await page.textContent('#evaluation'), /막힘/);
  await page.screenshot({ path: new URL('workbench-ko.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('axe-core finds no serious or critical accessibility violations', async () => {
  const { page } = await open();
  await page.addScriptTag({ path: fileURLToPath(import.meta.resolve('axe-core/axe.min.js')) });
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], JSON.stringify(violations, null, 2));
  await page.close();
});

test('the sandbox\'s deal as a form: enum values as a list, dates as pickers; a change is written into the deal, comments kept', async () => {
  const { page, errors } = await open();
  await pickExample(page, BANT);
  await page.waitForSelector('#evaluation li.blocked');
  await page.click('#deal-form-box summary');
  // Each label on its input's row, seen by their boxes: a field per playbook field, in its order.
  const layout = await labelsOffTheirInputs(page, '#deal-form');
  assert.equal(layout.checked, FIELDS, 'a label per field of the playbook');
  assert.deepEqual(layout.off, []);
  assert.equal(await page.textContent('label[for="field-budget"]'), 'Customer budget (USD)');
  assert.equal(await page.locator('#deal-form .field-row').first().getAttribute('data-field'), 'company', 'the form follows the playbook: its first field is the deal\'s name');
  assert.deepEqual(await page.locator('#field-industry option').allTextContents(), ['—', 'SaaS', 'Finance', 'Retail', 'Manufacturing', 'Healthcare', 'Other']);
  assert.equal(await page.inputValue('#field-budget'), '5000');
  assert.equal(await page.evaluate(() => document.querySelector('#field-industry').tagName), 'SELECT');
  assert.equal(await page.inputValue('#field-industry'), 'retail');
  assert.equal(await page.getAttribute('#field-last_touch', 'type'), 'date');
  assert.equal(await page.inputValue('#field-last_touch'), '');
  assert.match(await page.textContent('#evaluation li.blocked'), /Budget/);
  await page.fill('#field-budget', '60000');
  await page.dispatchEvent('#field-budget', 'change');
  await page.waitForFunction(() => /budget: 60000/.test(document.querySelector('#deal').value));
  const text = await page.inputValue('#deal');
  assert.match(text, /^# BANT .*a lead failing BANT/m, 'the comments stay');
  assert.match(text, /timeline_days: 240/);
  await page.waitForFunction(() => !/Budget/.test(document.querySelector('#evaluation li.blocked')?.textContent ?? ''));
  // A number the browser cannot read is not written (it would read as empty, and remove the field).
  await page.fill('#field-employees', '');
  await page.locator('#field-employees').pressSequentially('3e');
  await page.dispatchEvent('#field-employees', 'change');
  await page.waitForFunction(() => /^Number of employees: .+ The deal was not changed\.$/.test(document.querySelector('#deal-form [role="alert"]')?.textContent ?? ''));
  assert.match(await page.inputValue('#deal'), /employees: 8/);
  // Emptying a field removes it from the deal.
  await page.fill('#field-timeline_days', '');
  await page.dispatchEvent('#field-timeline_days', 'change');
  await page.waitForFunction(() => !/timeline_days/.test(document.querySelector('#deal').value));
  assert.match(await page.textContent('#deal-form [role="alert"]'), /^Number of employees: /, 'said while the input holds it');
  await page.locator('#deal-form-box').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('workbench-form.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('impact: the playbook in the editor compared with the playbook as it is, for every example deal', async () => {
  const { page, errors } = await open();
  const bundled = await (await fetch(`${workbench.base}playbooks/b2b-sales.yaml`)).text();
  await page.click('#impact-run');
  await page.waitForFunction(() => /Paste or load the playbook as it is first/.test(document.querySelector('#impact')?.textContent ?? ''));
  // As it is: a budget of 5,000 was enough; the editor's playbook asks for 10,000.
  await page.fill('#impact-other', bundled.replace('budget >= 10_000', 'budget >= 5_000'));
  await page.click('#impact-run');
  await page.waitForSelector('#impact-summary');
  assert.match(await page.textContent('#impact-summary'), /^Compared with b2b-sales@1: [1-9]\d* of \d+ deals change; \d+ do not\.$/);
  const changed = await page.textContent('#impact');
  assert.match(changed, /a lead failing BANT/);
  assert.match(changed, /Qualification → Needs Analysis & Solution Design: still blocked, by .*bant_budget/);
  assert.doesNotMatch(changed, /\{"|needs_analysis/, 'in titles, never JSON');
  // The other version broken: said so, with its line.
  await page.fill('#impact-other', 'stagegate: 1\nid: x\nversion: one\n');
  await page.click('#impact-run');
  await page.waitForFunction(() => /does not load: .*line 3: `version`/.test(document.querySelector('#impact')?.textContent ?? ''));
  await page.click('#impact-bundled');
  await page.click('#impact-run');
  await page.waitForFunction(() => /0 of \d+ deals change/.test(document.querySelector('#impact-summary')?.textContent ?? ''));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link reproduces the view: the playbook, the deal, the times and the language', async () => {
  const { page, errors } = await open();
  // A playbook of its own, in English only, and a deal; then Korean, which it does not have.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('stagegate: 1\nid: tiny\nversion: 3\nstages: [{id: open}, {id: won}]\ntransitions: [{from: open, to: won}]\n');
  await page.waitForFunction(() => document.querySelector('#pin')?.textContent === 'tiny@3');
  await page.fill('#deal', 'id: T-1\nstage: open\n');
  await page.fill('#deal-at', '2026-12-01T09:15');
  await page.selectOption('#lang', 'ko');
  await page.waitForSelector('#lang-note:not([hidden])');
  assert.match(await page.textContent('#lang-note'), /ko.*en/);
  assert.equal(await page.textContent('#sandbox-title'), '딜 샌드박스', 'the page\'s own words in Korean');
  await page.click('#link');
  await page.waitForFunction(() => document.querySelector('#link-out')?.value !== '');
  const link = await page.inputValue('#link-out');
  assert.match(link, /#v1=[\w-]+$/);

  const again = await workbench.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await again.goto(link);
  await again.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await again.textContent('#pin'), 'tiny@3');
  assert.equal(await again.inputValue('#deal'), 'id: T-1\nstage: open\n');
  assert.equal(await again.inputValue('#deal-at'), '2026-12-01T09:15');
  assert.equal(await again.inputValue('#lang'), 'ko');
  assert.equal(await again.isVisible('#view-note'), true);
  await again.close();
  // A link cut short says so, and the page opens anyway.
  const cut = await workbench.browser.newPage();
  await cut.goto(link.slice(0, -20));
  await cut.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.match(await cut.textContent('#view-note'), /cannot be read/);
  await cut.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('once loaded, the workbench works offline', async () => {
  const context = await workbench.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(workbench.base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready) && navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await page.textContent('#pin'), 'b2b-sales@1');
  await page.waitForSelector('#diagram svg');
  await pickExample(page, BANT);
  await page.waitForSelector('#evaluation li.blocked');
  assert.deepEqual(errors, []);
  await context.close();
});
