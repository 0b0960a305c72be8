// Impact of a change: the playbook in the editor compared with another version (as it is), for
// the example deals and the sandbox's deal, as `stagegate impact` compares them.
import { Playbook, StagegateError } from '../../../bindings/js/index.js';
import { readDeal } from './sandbox.js';

/** One change in words, stages and scorecards by their titles (`titles`: titles.js's lookups). */
export function describeChange(change, titles) {
  const move = `${titles.stage(change.from)} → ${titles.stage(change.to)}`;
  const or = (value) => value ?? '—';
  switch (change.change) {
    case 'now_blocked': return `${move}: now blocked (${change.blockers.map((b) => b.message).join('; ')})`;
    case 'now_allowed': return `${move}: now allowed`;
    case 'reasons_changed': return `${move}: still blocked, by ${change.after.join(', ')} (was ${change.before.join(', ')})`;
    case 'added': return `${move}: a new move, ${change.allowed ? 'allowed' : 'blocked'}`;
    case 'removed': return `${move}: no longer a move`;
    case 'actors_changed': {
      const roles = (list) => (list.length > 0 ? [...list].sort().join(', ') : 'anyone');
      const rules = [
        ['permissions.move', change.move_before, change.move_after],
        ['by', change.by_before, change.by_after],
        ['permissions.force', change.force_before, change.force_after],
      ].filter(([, before, after]) => roles(before) !== roles(after));
      return `${move}: who may act changes: ${rules.map(([key, before, after]) => `${key}: ${roles(before)} → ${roles(after)}`).join('; ')}`;
    }
    case 'score': return `${titles.card(change.card)}: ${or(change.total_before)} (${or(change.band_before)}) → ${or(change.total_after)} (${or(change.band_after)})`;
    case 'validity': return change.after ? `no longer fits: ${change.after}` : `now fits (before: ${change.before})`;
    default: return `${move}: ${String(change.change).replaceAll('_', ' ')}`;
  }
}

/**
 * Compares `engine` (the playbook as it would be) with the YAML `older` (as it is) for each of
 * `deals` ({label, text}) at `at`: `{error}` when `older` does not load, else a row per deal
 * ({label, changes} or {label, refused}).
 */
export function compare(engine, older, deals, at) {
  let other;
  try {
    other = Playbook.fromYaml(older, 'other.yaml');
  } catch (e) {
    if (!(e instanceof StagegateError)) throw e;
    const errors = (e.data?.diagnostics ?? []).filter((d) => d.severity === 'error');
    return {
      error: errors.length > 0
        ? `the other version does not load: ${errors.map((d) => `line ${d.line}: ${d.message}`).join('; ')}`
        : e.message,
    };
  }
  const rows = deals.map(({ label, text }) => {
    try {
      return { label, changes: engine.impact(readDeal(text), other, { at }).changes };
    } catch (e) {
      return { label, refused: e.message };
    }
  });
  return { pins: `${other.id}@${other.version}`, rows };
}

/**
 * The comparison in `element`: deals with changes first, then how many did not change; stages
 * and scorecards named by `titles` (titles.js's lookups).
 */
export function showImpact(element, result, titles) {
  if (result.error) {
    const p = document.createElement('p');
    p.className = 'problem';
    p.textContent = result.error;
    element.replaceChildren(p);
    return;
  }
  const list = document.createElement('ul');
  let same = 0;
  for (const row of result.rows) {
    if (row.changes && row.changes.length === 0) {
      same += 1;
      continue;
    }
    const item = document.createElement('li');
    item.className = row.refused ? 'problem' : 'changed';
    const title = document.createElement('strong');
    title.textContent = row.label;
    item.append(title, row.refused ? `: neither version takes it: ${row.refused}` : '');
    if (row.changes) {
      const inner = document.createElement('ul');
      for (const change of row.changes) {
        const li = document.createElement('li');
        li.textContent = describeChange(change, titles);
        inner.append(li);
      }
      item.append(inner);
    }
    list.append(item);
  }
  const summary = document.createElement('p');
  summary.id = 'impact-summary';
  summary.textContent = `Compared with ${result.pins}: ${result.rows.length - same} of ${result.rows.length} deals change; ${same} do not.`;
  element.replaceChildren(summary, list);
}
