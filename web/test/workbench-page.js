// The workbench served and Chromium (the system's) started for a test file, and what its tests
// share: a page opened with its console errors collected, an example chosen by its name.
import { before, after } from 'node:test';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { workbenchServer } from '../scripts/serve.mjs';

/** Where the screenshots land. */
export const shots = new URL('../screenshots/', import.meta.url);

/** The bundled playbook's test case of a lead failing BANT, as the sandbox offers it. */
export const BANT = 'a lead failing BANT';

function executable() {
  return process.env.CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * Serves the workbench and starts the browser before the file's tests (stopping both after):
 * `{browser, base, open(options)}`, where `open` gives a fresh page of the workbench, loaded, in
 * a context of its own (`options`: playwright's, a `timezoneId` say), with `errors` (the
 * console's) and `loaded` (milliseconds).
 */
export function useWorkbench() {
  const workbench = { browser: null, base: '', server: null };
  before(async () => {
    mkdirSync(shots, { recursive: true });
    workbench.server = workbenchServer();
    await new Promise((resolve) => workbench.server.listen(0, '127.0.0.1', resolve));
    workbench.base = `http://127.0.0.1:${workbench.server.address().port}/`;
    workbench.browser = await chromium.launch({ executablePath: executable(), args: ['--no-sandbox'] });
  });
  after(async () => {
    await workbench.browser?.close();
    workbench.server?.close();
  });
  workbench.open = async (options = {}) => {
    const page = await workbench.browser.newPage({ viewport: { width: 1280, height: 800 }, ...options });
    const errors = [];
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(String(error)));
    const start = Date.now();
    await page.goto(workbench.base);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    return { page, errors, loaded: Date.now() - start };
  };
  return workbench;
}

/** Chooses the sandbox's example whose label holds `words`. */
export async function pickExample(page, words) {
  const value = await page.locator('#example option', { hasText: words }).first().getAttribute('value');
  await page.selectOption('#example', value);
}
