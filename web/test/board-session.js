// What the deal page's and the board pages' tests share: the example deal waiting for Finance, a
// browser context signed in on the board, and the console errors that are the page's own.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The example deal waiting for Finance's approval of a 30% discount, as `id`, for `owner`. */
export function discountDeal(id, owner) {
  const example = parse(readFileSync(new URL('../../examples/deals/11-discount-approval.yaml', import.meta.url), 'utf8'));
  // The service records owners and who acted itself.
  delete example.owner;
  delete example.playbook;
  for (const entry of example.history) delete entry.by;
  return { ...JSON.parse(JSON.stringify(example)), id, owner };
}

/**
 * A new browser context signed in on `service`'s board as `user` (`options` for the context:
 * time zone, ...): `{page, errors, scriptErrors, context}`, console errors and script errors
 * collected apart.
 */
export async function signIn(browser, service, user, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...options });
  const page = await context.newPage();
  const errors = [];
  const scriptErrors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => scriptErrors.push(String(error)));
  await page.goto(service.base);
  await page.waitForSelector('body[data-ready="signed-out"]');
  await page.fill('#token', service.token(user));
  await page.click('#sign-in button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  return { page, errors, scriptErrors, context };
}

/** Chromium logs each refusal of the service (403, 404, 409, 422) as an error; the page shows them. */
export function pageErrors(errors) {
  return errors.filter((e) => !/^Failed to load resource: the server responded with a status of (403|404|409|422) /.test(e));
}
