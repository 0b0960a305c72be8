// The deal sandbox: a deal (YAML or JSON) evaluated at a time: its scores rule by rule, every
// move with its blockers, and the next steps.
import { parse } from 'yaml';
import { w } from './words.js';

/** A deal's text read as an object: YAML (of which JSON is a part). Throws a readable Error. */
export function readDeal(text) {
  let deal;
  try {
    deal = parse(text);
  } catch (e) {
    throw new Error(`the deal is not YAML: ${e.message}`);
  }
  if (deal === null || typeof deal !== 'object' || Array.isArray(deal)) {
    throw new Error('the deal must be one mapping (id:, stage:, fields: ...)');
  }
  return deal;
}

/**
 * Shows an evaluation (as `eval --format json` gives one) in `element`, in titles (`titles`:
 * titles.js's lookups of the playbook's outline); each move has a button that calls
 * `tryMove(move)`.
 */
export function showEvaluation(element, evaluation, tryMove, titles) {
  element.replaceChildren();
  const stages = evaluation.stages.map((s) => titles.stage(s.stage ?? s)).join(', ');
  element.append(heading(w('dealIn', evaluation.deal ?? w('noId'), stages)));
  for (const [card, score] of Object.entries(evaluation.scores ?? {})) {
    element.append(heading(w('score', titles.card(card), score.total, score.band ?? w('noBand')), 'h4'));
    element.append(table([w('rule'), w('points'), w('matched')], score.rules.map((r) => [
      r.id,
      String(r.points),
      r.matched ? w('yes') : r.missing ? w('unknown', titles.fields(r.missing)) : w('no'),
    ])));
  }
  element.append(heading(w('moves'), 'h4'));
  const moves = document.createElement('ul');
  for (const move of evaluation.transitions) {
    const item = document.createElement('li');
    item.className = move.allowed ? 'allowed' : 'blocked';
    item.dataset.to = move.to;
    item.textContent = `${titles.stage(move.from)} → ${titles.stage(move.to)}: ${w(move.allowed ? 'allowed' : 'blocked')} `;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = w('moveTo', titles.stage(move.to));
    button.addEventListener('click', () => tryMove(move));
    item.append(button);
    if (!move.allowed) {
      const reasons = document.createElement('ul');
      for (const blocker of move.blockers) {
        const reason = document.createElement('li');
        reason.textContent = blockerText(blocker, titles);
        reasons.append(reason);
      }
      item.append(reasons);
    }
    moves.append(item);
  }
  element.append(moves);
  if ((evaluation.next_steps ?? []).length > 0) {
    element.append(heading(w('nextSteps'), 'h4'));
    const steps = document.createElement('ul');
    for (const step of evaluation.next_steps) {
      const item = document.createElement('li');
      const todo = [
        step.guidance,
        step.key_fields?.length ? w('fill', titles.fields(step.key_fields)) : '',
        step.activities?.length ? w('do', step.activities.map((a) => a.title || titles.activity(a.activity)).join(', ')) : '',
      ].filter(Boolean);
      item.textContent = `${titles.stage(step.stage)}: ${todo.join(' — ')}`;
      steps.append(item);
    }
    element.append(steps);
  }
  for (const warning of evaluation.warnings ?? []) {
    const note = document.createElement('p');
    note.className = 'warning';
    note.textContent = w('warning', { ...warning, stage: titles.stage(warning.stage), activity: titles.activity(warning.activity) });
    element.append(note);
  }
}

/** A blocker in words: the engine's message, else what is missing, by its titles. */
export function blockerText(blocker, titles) {
  if (blocker.message) return blocker.message;
  if (blocker.fields?.length) return w('fillTitled', titles.fields(blocker.fields));
  const activities = blocker.activities?.length ? blocker.activities : blocker.activity ? [blocker.activity] : [];
  if (activities.length) return w('doTitled', activities.map(titles.activity).join(', '));
  if (blocker.roles?.length) return w('whoMay', blocker.roles.map(titles.role).join(', '));
  return blocker.error ?? blocker.criterion ?? blocker.reason;
}

/** Shows why the deal cannot be evaluated. */
export function showProblem(element, message, problems = []) {
  element.replaceChildren();
  const note = document.createElement('p');
  note.className = 'error';
  note.textContent = message;
  element.append(note);
  if (problems.length > 0) {
    const list = document.createElement('ul');
    for (const problem of problems) {
      const item = document.createElement('li');
      item.textContent = typeof problem === 'string' ? problem : problem.message ?? JSON.stringify(problem);
      list.append(item);
    }
    element.append(list);
  }
}

function heading(text, level = 'h3') {
  const element = document.createElement(level);
  element.textContent = text;
  return element;
}

function table(columns, rows) {
  const element = document.createElement('table');
  const head = element.createTHead().insertRow();
  for (const column of columns) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = column;
    head.append(cell);
  }
  const body = element.createTBody();
  for (const row of rows) {
    const line = body.insertRow();
    for (const value of row) line.insertCell().textContent = value;
  }
  return element;
}

/** Shows a move's outcome: the effects of one made, or every reason one was refused. */
export function showMove(element, outcome) {
  element.replaceChildren();
  const note = document.createElement('p');
  note.className = outcome.error ? 'error' : 'moved';
  note.textContent = outcome.message;
  element.append(note);
  const lines = outcome.error ? outcome.reasons : outcome.effects;
  if (lines.length > 0) {
    const list = document.createElement('ul');
    for (const line of lines) {
      const item = document.createElement('li');
      item.textContent = line;
      list.append(item);
    }
    element.append(list);
  }
}
