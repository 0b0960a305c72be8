// The workbench opened from the pipeline board (`index.html?service`): the playbooks the
// reference service runs, and Publish through POST /playbooks/reload, as the signed-in admin.

const TOKEN = 'stagegate-token';

/** Whether the page was opened from the board, signed in. */
export function fromService() {
  return new URLSearchParams(location.search).has('service') && sessionStorage.getItem(TOKEN) !== null;
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN)}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ message: `the service answered ${response.status} without JSON` }));
  return { ok: response.ok, status: response.status, answer };
}

/** The playbook versions the service runs (`id@version`). */
export async function servicePins() {
  const { ok, answer } = await call('GET', '/playbooks');
  return ok ? answer.playbooks : [];
}

/** The playbooks directory's files ({name, text}), or the service's refusal as an Error. */
export async function serviceFiles() {
  const { ok, answer } = await call('GET', '/playbooks/sources');
  if (!ok) throw new Error(answer.message);
  return answer.files;
}

/**
 * Publishes `text` as file `name`: `{ok: true, playbooks}` when the service loaded it, else
 * `{ok: false, message, diagnostics}` (nothing was written).
 */
export async function publish(name, text) {
  const { ok, answer } = await call('POST', '/playbooks/reload', { files: { [name]: text } });
  return ok
    ? { ok: true, playbooks: answer.playbooks }
    : { ok: false, message: answer.message, diagnostics: answer.diagnostics ?? [] };
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
