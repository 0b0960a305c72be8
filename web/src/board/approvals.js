// "Waiting for my approval" (Finance's queue): the deals waiting for an approval the signed-in
// person may give (`GET /approvals`): each with its name or id, owner, stage, amount in the
// playbook's currency, what the approval is for, and who asked and when; Approve gives it and
// takes the row away, a refusal (four eyes) is said in the row. A server without the route says so.
import { call, ServiceError } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { money, shortTime } from '../shared/format.js';
import { approvalWords, noRoute } from './deal-approvals.js';
import { dealName } from './deal.js';
import { titleOf } from './panel.js';
import { dealLink, few, failed, outline, signedIn, $ } from './signed.js';
import { say } from './words.js';

/** The queue, or `null` when the server has no such route. */
async function queue() {
  try {
    return (await call('GET', '/approvals')).approvals ?? [];
  } catch (error) {
    if (noRoute(error)) return null;
    throw error;
  }
}

/** One waiting approval as a row of the table. */
async function row(waiting, lang) {
  const shape = await outline(waiting.playbook);
  // The deal's name is a field of the deal: read only when the playbook names one.
  const deal = shape.deal_name ? (await call('GET', `/deals/${encodeURIComponent(waiting.deal)}`).catch(() => null))?.deal ?? {} : {};
  const name = dealName(deal, shape);
  const line = element('tr');
  line.dataset.deal = waiting.deal;
  line.dataset.criterion = waiting.criterion;
  const link = element('a', '', name ? `${name} (${waiting.deal})` : waiting.deal);
  link.href = dealLink(waiting.deal);
  const cell = (child, className = '') => {
    const made = element('td', className);
    made.append(child);
    return made;
  };
  const stages = (Array.isArray(waiting.stage) ? waiting.stage : [waiting.stage]).filter(Boolean);
  const asked = waiting.requested ? say('askedBy', waiting.requested.by ?? '?', shortTime(waiting.requested.at, lang)) : say('notAsked');
  const askedCell = cell(asked, waiting.requested ? 'asked' : 'asked none');
  if (waiting.requested?.at) askedCell.title = waiting.requested.at;
  if (waiting.requested?.note) askedCell.append(element('q', 'request-note', waiting.requested.note));
  const approve = element('button', '', say('approve'));
  approve.type = 'button';
  const outcome = element('p', 'outcome');
  outcome.setAttribute('role', 'status');
  approve.addEventListener('click', async () => {
    approve.disabled = true;
    try {
      await call('POST', `/deals/${encodeURIComponent(waiting.deal)}/approvals`, { criterion: waiting.criterion });
      line.remove();
      $('done').textContent = say('approvedRow', name ?? waiting.deal);
      $('none').hidden = $('approvals').querySelector('tbody tr') !== null;
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      approve.disabled = false;
      outcome.classList.add('error');
      outcome.textContent = say('notApproved', waiting.deal, [error.message, ...(error.body?.problems ?? [])].join(' · '));
    }
  });
  const action = cell(approve);
  action.append(outcome);
  line.append(
    cell(link, 'deal'),
    cell(waiting.owner ?? '', 'owner'),
    cell(stages.map((s) => titleOf(shape.stages ?? [], s)).join(', '), 'stage'),
    cell(typeof waiting.value === 'number' ? money(waiting.value, shape.currency, lang) : '', 'amount'),
    cell(approvalWords(shape, waiting.criterion, waiting.message ?? waiting.criterion), 'what'),
    askedCell,
    action,
  );
  return line;
}

/** The page: the queue as a table, or that nothing (or no such route) waits. */
async function show() {
  const me = await signedIn();
  if (me === null) return;
  const waiting = await queue();
  if (waiting === null) {
    $('none').hidden = false;
    $('none').textContent = say('noApprovalsRoute');
    document.body.dataset.ready = 'true';
    return;
  }
  const lang = document.documentElement.lang;
  const rows = await few(waiting, (one) => row(one, lang));
  const table = $('approvals');
  const head = element('tr');
  const columns = say('columns');
  for (const key of ['deal', 'owner', 'stage', 'amount', 'what', 'asked', 'action']) {
    const th = element('th', key, columns[key]);
    th.scope = 'col';
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...rows);
  table.hidden = rows.length === 0;
  $('none').hidden = rows.length > 0;
  document.body.dataset.ready = 'true';
}

show().catch(failed);
