// The tests' coverage gaps in words: a sentence per stage never entered, move never tried and
// criterion not seen both ways, named by their titles (the engine's outline), each with the line
// of the playbook's text that declares it (found in the YAML the editor holds).
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from 'yaml';
import { w } from './words.js';

/** A node's plain value: a scalar's, or null. */
function plain(node) {
  return isScalar(node) ? node.value : null;
}

/** The 1-based line (and column) where `node` starts, or null. */
function place(lines, node) {
  if (!node?.range) return null;
  const { line, col } = lines.linePos(node.range[0]);
  return { line, column: col };
}

/**
 * Where the playbook's text declares each thing coverage names: `stages[id]`, `moves['from>to']`
 * and `criteria[id]` (a criterion by its id, a scorecard rule as `card.rule`), each
 * `{line, column, owner}` where `owner` says what holds a criterion ({stage}, {from, to} or
 * {card}). A text that does not parse answers empty maps.
 */
export function places(text) {
  const found = { stages: new Map(), moves: new Map(), criteria: new Map() };
  const lines = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  } catch {
    return found;
  }
  if (!isMap(doc.contents)) return found;
  const criteria = (node, owner) => {
    if (isSeq(node)) {
      for (const item of node.items) criteria(item, owner);
      return;
    }
    if (!isMap(node)) return;
    const id = plain(node.get('id', true));
    if (typeof id === 'string' && !found.criteria.has(id)) {
      found.criteria.set(id, { ...place(lines, node.get('id', true)), owner });
    }
    for (const key of ['all', 'any', 'not']) criteria(node.get(key, true), owner);
  };
  const stages = doc.contents.get('stages', true);
  for (const stage of isSeq(stages) ? stages.items : []) {
    if (!isMap(stage)) continue;
    const id = plain(stage.get('id', true));
    if (typeof id !== 'string') continue;
    found.stages.set(id, place(lines, stage.get('id', true)));
    for (const gate of ['entry', 'exit']) criteria(stage.get(gate, true), { stage: id });
  }
  const transitions = doc.contents.get('transitions', true);
  for (const transition of isSeq(transitions) ? transitions.items : []) {
    if (!isMap(transition)) continue;
    const to = plain(transition.get('to', true));
    const from = transition.get('from', true);
    const froms = isSeq(from) ? from.items.map(plain) : [plain(from)];
    for (const one of froms) {
      if (typeof one !== 'string' || typeof to !== 'string') continue;
      const key = `${one}>${to}`;
      if (!found.moves.has(key)) found.moves.set(key, place(lines, transition.get('from', true) ?? transition));
      criteria(transition.get('when', true), { from: one, to });
    }
  }
  const cards = doc.contents.get('scorecards', true);
  for (const card of isMap(cards) ? cards.items : []) {
    const cardId = plain(card.key);
    const rules = isMap(card.value) ? card.value.get('rules', true) : null;
    for (const rule of isSeq(rules) ? rules.items : []) {
      const id = isMap(rule) ? plain(rule.get('id', true)) : null;
      if (typeof id === 'string') found.criteria.set(`${cardId}.${id}`, { ...place(lines, rule.get('id', true)), owner: { card: cardId } });
    }
  }
  return found;
}

/**
 * The coverage gaps (a test report's `coverage`) as sentences: `[{text, line, column}]`, titled
 * by `outline` (the engine's), placed in `text` (the playbook's YAML). A gap whose line is not
 * found has `line` null.
 */
export function coverageSentences(coverage, outline, text) {
  const where = places(text);
  const stage = (id) => outline.stages.find((s) => s.id === id)?.title ?? id;
  const card = (id) => outline.scorecards.find((c) => c.id === id)?.title ?? id;
  const sentences = [];
  const add = (sentence, at) => sentences.push({ text: sentence, line: at?.line ?? null, column: at?.column ?? null });
  for (const id of coverage.stages_never_entered ?? []) add(w('neverEntered', stage(id)), where.stages.get(id));
  for (const key of coverage.transitions_never_evaluated ?? []) {
    const [from, to] = key.split('>');
    add(w('neverTried', stage(from), stage(to)), where.moves.get(key));
  }
  for (const criterion of coverage.criteria_not_both_ways ?? []) {
    const at = where.criteria.get(criterion.id);
    const owner = at?.owner ?? {};
    const never = criterion.seen_true ? 'false' : criterion.seen_false ? 'true' : 'either';
    if (owner.card !== undefined) {
      const rule = criterion.id.slice(owner.card.length + 1);
      add(w('ruleNever', rule, card(owner.card), never), at);
    } else if (owner.stage !== undefined) {
      add(w('criterionNever', criterion.id, stage(owner.stage), never), at);
    } else if (owner.to !== undefined) {
      add(w('criterionOfMoveNever', criterion.id, stage(owner.from), stage(owner.to), never), at);
    } else {
      add(w('criterionNever', criterion.id, outline.title ?? outline.id, never), at);
    }
  }
  return sentences;
}
