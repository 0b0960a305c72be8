// The workbench opened from the pipeline board (`index.html?service`): the playbooks the
// server runs, and Publish through POST /playbooks/reload, as the signed-in admin.

import { call, session, ServiceError } from '../shared/api.js';

/** Whether the page was opened from the board, signed in. */
export function fromService() {
  return new URLSearchParams(location.search).has('service') && session.token !== null;
}

/** The playbook versions the service runs (`id@version`); none when it does not say. */
export async function servicePins() {
  try {
    return (await call('GET', '/playbooks')).playbooks;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return [];
  }
}

/** The playbooks directory's files ({name, text}), or the service's refusal as an Error. */
export async function serviceFiles() {
  return (await call('GET', '/playbooks/sources')).files;
}

/**
 * Publishes `text` as file `name`: `{ok: true, playbooks}` when the service loaded it, else
 * `{ok: false, message, diagnostics}` (nothing was written).
 */
export async function publish(name, text) {
  try {
    const answer = await call('POST', '/playbooks/reload', { files: { [name]: text } });
    return { ok: true, playbooks: answer.playbooks };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return { ok: false, message: error.message, diagnostics: error.body?.diagnostics ?? [] };
  }
}

/** The outcome of a publish in `element`: the versions the service runs, or every diagnostic. */
export function showPublished(element, result) {
  element.hidden = false;
  element.className = result.ok ? 'published' : 'error';
  const list = document.createElement('ul');
  for (const d of result.ok ? [] : result.diagnostics) {
    const item = document.createElement('li');
    item.textContent = `${d.file}:${d.line ?? '?'}:${d.column ?? '?'}: ${d.message}`;
    list.append(item);
  }
  const message = document.createElement('p');
  message.textContent = result.ok ? `Published: the service runs ${result.playbooks.join(', ')}.` : result.message;
  element.replaceChildren(message, list);
}
