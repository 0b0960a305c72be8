// The workbench in a real browser: Chromium (the system's), headless, driven by playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { workbenchServer } from '../scripts/serve.mjs';

const shots = new URL('../screenshots/', import.meta.url);
mkdirSync(shots, { recursive: true });
let server;
let browser;
let base;

function executable() {
  return process.env.CHROMIUM ?? '/usr/bin/chromium';
}

before(async () => {
  server = workbenchServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: executable(), args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page of the workbench, loaded; console errors collected in `errors`. */
async function open() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  const start = Date.now();
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors, loaded: Date.now() - start };
}

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
  await page.selectOption('#example', { label: '02-blocked-bant.yaml' });
  await page.waitForSelector('#evaluation li.blocked');
  const blocked = await page.textContent('#evaluation li.blocked');
  assert.match(blocked, /qualification → needs_analysis: blocked/);
  assert.match(blocked, /Budget/);
  assert.ok(await page.locator('#evaluation table').count() >= 1);
  await page.locator('#example').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('workbench-sandbox.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('moves in the sandbox: a rep is refused with every reason and may not force; a manager may', async () => {
  const { page, errors } = await open();
  await page.selectOption('#example', { label: '02-blocked-bant.yaml' });
  await page.waitForSelector('#evaluation li.blocked');
  await page.click('#evaluation button:has-text("Move to needs_analysis")');
  await page.waitForSelector('#moved .error');
  assert.match(await page.textContent('#moved'), /Budget/);
  // Forcing it as a rep is forbidden, and says who may.
  await page.fill('#force', 'the customer confirmed the budget by phone');
  await page.click('#evaluation button:has-text("Move to needs_analysis")');
  await page.waitForFunction(() => /only Sales manager may force/.test(document.querySelector('#moved')?.textContent ?? ''));
  assert.match(await page.textContent('#moved'), /Budget/);
  // A manager may force it: the deal moves and its history says it was forced.
  await page.check('#roles input[value="manager"]');
  await page.click('#evaluation button:has-text("Move to needs_analysis")');
  await page.waitForSelector('#moved .moved');
  assert.match(await page.textContent('#moved'), /^Forced from qualification to needs_analysis\./);
  assert.match(await page.inputValue('#deal'), /needs_analysis/);
  assert.match(await page.inputValue('#deal'), /forced/);
  await page.locator('#mover').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('workbench-move.png', shots).pathname });
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Korean, the same page answers in Korean', async () => {
  const { page, errors } = await open();
  await page.selectOption('#example', { label: '02-blocked-bant.yaml' });
  await page.waitForSelector('#evaluation li.blocked');
  await page.selectOption('#lang', 'ko');
  await page.waitForFunction(() => /[가-힣]/.test(document.querySelector('#evaluation li.blocked')?.textContent ?? ''));
  assert.match(await page.textContent('#diagram svg'), /자격 검증/);
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
