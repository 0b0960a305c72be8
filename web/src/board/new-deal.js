// A new deal made from the board: its id (and its name, when the playbook names the field that
// holds it); it starts in the first stage of the main path, owned by whoever makes it; the service
// refuses what does not fit, and says why.
import { call, ServiceError } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { mainPath } from './columns.js';
import { t } from './text.js';

/**
 * Shows the new deal's form in `panel`, for the playbook of `outline`; `made(id)` once the
 * service created it.
 */
export function showNewDeal(panel, outline, made) {
  panel.hidden = false;
  panel.className = 'new-deal';
  const form = element('form');
  const id = element('input');
  id.id = 'new-deal-id';
  id.required = true;
  id.autocomplete = 'off';
  const idLabel = element('label', '', t('dealId'));
  idLabel.htmlFor = id.id;
  // The deal's name, when the playbook names the field holding it (`deal_name`).
  const nameField = outline.deal_name ? (outline.fields ?? []).find((f) => f.id === outline.deal_name) : null;
  const name = element('input');
  name.id = 'new-deal-name';
  name.autocomplete = 'off';
  const nameLabel = element('label', '', nameField?.title ?? '');
  nameLabel.htmlFor = name.id;
  // A new deal starts where the process starts: any later stage is reached by moves, through
  // their gates (or forced, and recorded).
  const first = mainPath(outline)[0];
  const where = element('p', '', t('startsIn', first.title));
  const problem = element('p', 'error');
  problem.setAttribute('role', 'alert');
  const submit = element('button', '', t('create'));
  submit.type = 'submit';
  const close = element('button', 'close-panel', t('close'));
  close.type = 'button';
  close.addEventListener('click', () => { panel.hidden = true; });
  form.append(element('h2', '', t('newDeal')), where, idLabel, ' ', id, ' ');
  if (nameField) form.append(element('br'), nameLabel, ' ', name, ' ');
  form.append(submit, problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      // The board's playbook (the service pins the deal to its newest version).
      const deal = { id: id.value.trim(), stage: first.id, playbook: outline.playbook };
      if (nameField && name.value.trim() !== '') deal.fields = { [nameField.id]: name.value.trim() };
      await call('POST', '/deals', deal);
      panel.hidden = true;
      await made(id.value.trim());
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      problem.textContent = [error.message, ...(error.body?.problems ?? [])].join(' · ');
    }
  });
  panel.replaceChildren(form, close);
  id.focus();
}
