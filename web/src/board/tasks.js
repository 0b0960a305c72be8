// "My tasks": the signed-in person's open tasks (`GET /tasks`, assigned to them or to one of their
// roles), grouped by deal with the deal's name or id and its stages' titles, overdue first then
// due soonest, each deal linking to the board opened on it.
import { call } from '../shared/api.js';
import { element } from '../shared/dom.js';
import { readTime } from '../shared/format.js';
import { dealLink, few, failed, outline, signedIn, $ } from './signed.js';
import { dealName, dueWords } from './deal.js';
import { activitiesOf, titleOf } from './panel.js';
import { say } from './words.js';

/** When a task is due, for sorting (an unreadable time last). */
function dueAt(task) {
  return readTime(task.due)?.when.getTime() ?? Number.POSITIVE_INFINITY;
}

/** Every open task of `me` or of one of their roles, each once, earliest due first. */
async function myTasks(me) {
  const answers = await Promise.all([me.id, ...me.roles].map((who) => call('GET', `/tasks?assignee=${encodeURIComponent(who)}`)));
  const seen = new Map();
  for (const task of answers.flatMap((answer) => answer.tasks ?? [])) seen.set(`${task.deal}\u0000${task.activity}`, task);
  return [...seen.values()].sort((a, b) => dueAt(a) - dueAt(b));
}

/** The page: the signed-in person's tasks by deal, or that there are none. */
async function show() {
  const me = await signedIn();
  if (me === null) return;
  const tasks = await myTasks(me);
  const ids = [...new Set(tasks.map((task) => task.deal ?? ''))];
  // Each deal once, for its playbook (titles), stages and name.
  const deals = new Map(await few(ids, async (id) => [id, id === '' ? null : await call('GET', `/deals/${encodeURIComponent(id)}`).catch(() => null)]));
  const lang = document.documentElement.lang;
  const list = $('tasks');
  const groups = [];
  for (const id of ids) {
    const found = deals.get(id)?.deal ?? {};
    const shape = found.playbook ? await outline(found.playbook) : { stages: [], fields: [], roles: [] };
    const mine = tasks.filter((task) => (task.deal ?? '') === id);
    const group = element('li', 'deal-tasks');
    group.dataset.deal = id;
    const name = dealName(found, shape);
    const link = element('a', 'deal', name ? `${name} (${id})` : id);
    link.href = dealLink(id);
    const stages = (found.stages ?? []).map((s) => titleOf(shape.stages, s)).join(', ');
    const heading = element('h2');
    heading.append(link);
    if (stages) heading.append(' ', element('span', 'stage', say('stageOf', stages)));
    heading.append(element('span', 'count', ` · ${say('taskCount', mine.length)}`));
    const inner = element('ul');
    for (const task of mine) {
      const title = activitiesOf(shape).find((a) => a.id === task.activity)?.title ?? task.title ?? task.activity;
      const item = element('li', task.overdue_days > 0 ? 'task overdue' : 'task');
      const due = element('span', 'due', dueWords(task.due, task.overdue_days, lang));
      due.title = task.due;
      const whose = task.assignee === me.id ? say('forYou') : task.role ? say('forRole', titleOf(shape.roles ?? [], task.role)) : '';
      item.append(element('span', 'title', title), ' · ', due);
      if (whose) item.append(' · ', element('span', 'whose', whose));
      inner.append(item);
    }
    group.append(heading, inner);
    groups.push(group);
  }
  list.replaceChildren(...groups);
  $('none').hidden = groups.length > 0;
  document.body.dataset.ready = 'true';
}

show().catch(failed);
