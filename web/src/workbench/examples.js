// The sandbox's example deals: the deals of the playbook's own test cases (its `tests:`), read
// from the text being edited, so another playbook brings its own examples (or none).
import { parse, stringify } from 'yaml';
import { w } from './words.js';

/**
 * The example deals of the playbook `text`: `[{label, text}]`, one per test case with a `deal:`
 * mapping, in the cases' order, each deal's text headed by a comment naming its case. A text that
 * does not parse answers null (keep the last examples).
 */
export function examplesOf(text) {
  let playbook;
  try {
    playbook = parse(text, { uniqueKeys: false });
  } catch {
    return null;
  }
  const cases = Array.isArray(playbook?.tests) ? playbook.tests : [];
  const examples = [];
  cases.forEach((testCase, n) => {
    const deal = testCase?.deal;
    if (deal === null || typeof deal !== 'object' || Array.isArray(deal)) return;
    const name = typeof testCase.name === 'string' ? testCase.name.replace(/\s+/g, ' ').trim() : '';
    examples.push({
      label: w('exampleCase', n + 1, name),
      text: `${name === '' ? '' : `# ${name}\n`}${stringify(deal)}`.trim(),
    });
  });
  return examples;
}

/**
 * Lists `examples` in `select` (the sandbox's own deal first) and says in `hint` how to add one
 * when there are none.
 */
export function listExamples(select, hint, examples) {
  const own = document.createElement('option');
  own.value = '';
  own.textContent = w('ownDeal');
  own.dataset.text = 'ownDeal';
  select.replaceChildren(own, ...examples.map((example, index) => {
    const option = document.createElement('option');
    option.value = String(index);
    option.textContent = example.label;
    return option;
  }));
  hint.hidden = examples.length > 0;
  hint.textContent = examples.length > 0 ? '' : w('noExamples');
}
