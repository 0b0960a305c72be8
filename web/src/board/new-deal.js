// A new deal made from the board: its id and its stage (the first of the main path unless
// chosen), owned by whoever makes it; the service refuses what does not fit, and says why.
import { call, ServiceError } from './api.js';
import { element } from './columns.js';
import { t } from './text.js';

/** Shows the new deal's form in `panel`; `made(id)` once the service created it. */
export function showNewDeal(panel, board, made) {
  panel.hidden = false;
  panel.className = 'new-deal';
  const form = element('form');
  const id = element('input');
  id.id = 'new-deal-id';
  id.required = true;
  id.autocomplete = 'off';
  const idLabel = element('label', '', t('dealId'));
  idLabel.htmlFor = id.id;
  const stage = element('select');
  stage.id = 'new-deal-stage';
  for (const column of board.columns) {
    const option = element('option', '', column.title);
    option.value = column.id;
    stage.append(option);
  }
  const stageLabel = element('label', '', t('firstStage'));
  stageLabel.htmlFor = stage.id;
  const problem = element('p', 'error');
  problem.setAttribute('role', 'alert');
  const submit = element('button', '', t('create'));
  submit.type = 'submit';
  const close = element('button', 'close-panel', t('close'));
  close.type = 'button';
  close.addEventListener('click', () => { panel.hidden = true; });
  form.append(element('h2', '', t('newDeal')), idLabel, ' ', id, ' ', stageLabel, ' ', stage, ' ', submit, problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await call('POST', '/deals', { id: id.value.trim(), stage: stage.value });
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
