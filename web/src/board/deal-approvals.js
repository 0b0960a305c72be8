// A deal's approvals, as its page shows them: each approval its stages ask for, given ("approved
// by han, Dec 7, 10:42 AM", no Approve button while it counts) or waiting (why, who was asked and
// when, an Approve button for whoever may give it, and "Ask Finance to approve" for the others).
// Four eyes: an approval counts for every mover but the person who gave it, whose page says that
// another person makes the move.
import { call, ServiceError } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { shortTime } from '../shared/format.js';
import { titleOf } from './panel.js';
import { t } from './text.js';
import { say } from './words.js';

/** Every blocker of the evaluation's moves, with the parts (`because`) they are made of. */
export function blockersOf(evaluation) {
  const all = [];
  const walk = (blocker) => {
    all.push(blocker);
    for (const inner of blocker.because ?? []) walk(inner);
  };
  for (const check of evaluation.transitions ?? []) for (const blocker of check.blockers ?? []) walk(blocker);
  return all;
}

/** The approval of `criterion` the deal holds, when someone gave it. */
function held(deal, criterion) {
  const approval = deal.approvals?.[criterion];
  return approval && typeof approval.by === 'string' && approval.by.trim() !== '' ? approval : null;
}

/**
 * Whether `blocker` is an approval the signed-in user gave, which four eyes keeps from counting
 * for their own move (it counts for anyone else's).
 */
export function approvedByMe(blocker, deal, me) {
  return blocker.reason === 'approval_missing' && Boolean(blocker.criterion) && held(deal, blocker.criterion)?.by === me.id;
}

/**
 * What approval criterion `criterion` is for, in words: the criterion's own message, else "Approval
 * by Finance" (the outline's message without one is the engine's "needs approval by Finance",
 * which reads as a complaint beside "approved by han"); `otherwise` for a criterion the outline
 * does not list.
 */
export function approvalWords(outline, criterion, otherwise = criterion) {
  const declared = (outline.approvals ?? []).find((a) => a.criterion === criterion);
  if (!declared) return otherwise;
  const role = titleOf(outline.roles ?? [], declared.role);
  if (declared.message && !isBare(declared.message, role)) return declared.message;
  return say('approvalBy', role);
}

/** Whether `message` is the engine's bare "needs approval by Finance", which says nothing more. */
function isBare(message, role) {
  return message === `needs approval by ${role}` || message === `${role}의 승인이 필요합니다`;
}

/** The latest request for `criterion` in the history, unless an approval of it came after. */
function lastRequest(deal, criterion) {
  let request = null;
  for (const entry of deal.history ?? []) {
    if (entry.approval_requested === criterion) request = entry;
    if (entry.approved === criterion) request = null;
  }
  return request;
}

/** Whether `error` says the server has no such route (it predates the route). */
export function noRoute(error) {
  return error instanceof ServiceError && (error.status === 404 || error.status === 405) && /^no route /.test(error.body?.message ?? '');
}

/**
 * The approvals section of deal `id`: `{deal, owner, evaluation, outline, me, revision, lang}`
 * (`owner`: the deal's owner as the service records it);
 * `again(done)` shows the deal again saying `done`; `status` is where a refusal is said.
 */
export function approvalsSection({ id, deal, owner, evaluation, outline, me, revision, lang, again, status }) {
  const stages = new Set(evaluation.stages ?? deal.stages ?? []);
  const blockers = blockersOf(evaluation).filter((b) => b.reason === 'approval_missing' && b.criterion);
  // The criteria of the active stages, those a move waits for, and those the deal holds.
  const criteria = new Map();
  for (const declared of outline.approvals ?? []) {
    if (stages.has(declared.stage)) criteria.set(declared.criterion, { roles: [declared.role] });
  }
  for (const blocker of blockers) {
    const known = criteria.get(blocker.criterion) ?? { roles: [] };
    criteria.set(blocker.criterion, { roles: [...new Set([...known.roles, ...(blocker.roles ?? [])])] });
  }
  for (const criterion of Object.keys(deal.approvals ?? {})) if (!criteria.has(criterion)) criteria.set(criterion, { roles: [] });

  const list = element('ul', 'approvals');
  for (const [criterion, { roles }] of criteria) {
    const given = held(deal, criterion);
    const blocking = blockers.filter((b) => b.criterion === criterion);
    // Not needed now (its condition does not hold) and not given: nothing to say.
    if (!given && blocking.length === 0) continue;
    const item = element('li');
    item.dataset.criterion = criterion;
    item.append(element('span', 'what', approvalWords(outline, criterion)), ': ');
    if (given && (blocking.length === 0 || given.by === me.id)) {
      item.classList.add('given');
      const when = element('span', 'approved', say('approvedBy', given.by, shortTime(given.at, lang)));
      when.title = given.at;
      item.append(when);
      list.append(item);
      continue;
    }
    item.classList.add('waiting');
    // Why it is missing: the engine's reason, unless it only repeats who approves.
    const why = blocking[0]?.message;
    const bare = !why || roles.some((role) => isBare(why, titleOf(outline.roles ?? [], role)));
    item.append(element('span', 'why', bare ? say('waiting') : why));
    const request = lastRequest(deal, criterion);
    if (request) {
      const asked = element('span', 'asked', say('askedBy', request.by ?? '?', shortTime(request.at, lang)));
      asked.title = request.at;
      item.append(' · ', asked);
      if (request.note) item.append(element('q', 'request-note', request.note));
    }
    const mine = roles.some((role) => me.roles.includes(role));
    if (mine && me.id !== owner && !deal.archived) {
      item.append(' ', button(say('approve'), async () => {
        await call('POST', `/deals/${encodeURIComponent(id)}/approvals`, { criterion, revision });
        await again(t('approved'));
      }, status));
    } else if (!mine && !deal.archived) {
      // Asked already: a reminder asks again (the history keeps each request).
      const role = roles.map((r) => titleOf(outline.roles ?? [], r)).join(', ') || criterion;
      const note = element('input');
      note.type = 'text';
      note.className = 'ask-note';
      note.id = `ask-note-${criterion}`;
      note.setAttribute('aria-label', say('askNote'));
      note.placeholder = say('askNote');
      item.append(' ', note, ' ', button(say(request ? 'remind' : 'ask', role), async () => {
        const asking = { criterion };
        if (note.value.trim() !== '') asking.note = note.value.trim();
        try {
          await call('POST', `/deals/${encodeURIComponent(id)}/approval-requests`, asking);
        } catch (error) {
          if (!noRoute(error)) throw error;
          throw new ServiceError(404, { message: say('noRequests') });
        }
        await again(say('asked'));
      }, status));
    }
    list.append(item);
  }
  if (list.children.length === 0) return [];
  return [element('h3', '', say('approvalsTitle')), list];
}

/** A button doing `act`; a refusal of the service is said in `status`. */
function button(text, act, status) {
  const made = element('button', '', text);
  made.type = 'button';
  made.addEventListener('click', async () => {
    made.disabled = true;
    try {
      await act();
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      status.classList.add('error');
      status.textContent = [error.message, ...(error.body?.problems ?? [])].join(' · ');
      made.disabled = false;
    }
  });
  return made;
}
