// Times `engine.scoreMany` from JavaScript on a JSON Lines book of leads, excluding Node's start
// and reading the file; checks every answer equals the command line's line first.
//
// Usage: node score_many.mjs PLAYBOOK LEADS.jsonl CLI_OUTPUT.jsonl AT RUNS
// Prints one line per input form: `javascript <call(form)> <best seconds> <leads>`.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Playbook, Engine } from '../index.js';

const [playbookPath, book, printed, at, runs] = process.argv.slice(2);
const engine = new Engine(await Playbook.load(playbookPath));
const lines = readFileSync(book, 'utf8').split('\n').filter((line) => line.trim() !== '');
const objects = lines.map((line) => JSON.parse(line));
const expected = readFileSync(printed, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

for (const [form, deals] of [['scoreMany(objects)', objects], ['scoreMany(json texts)', lines]]) {
  const answers = engine.scoreMany(deals, at);
  const bad = answers.findIndex((answer, i) => !isDeepStrictEqual(answer, expected[i]));
  if (bad >= 0 || answers.length !== expected.length) {
    console.error(`javascript ${form}: lead ${bad + 1} differs from the command line`);
    process.exit(1);
  }
  let best = Infinity;
  for (let run = 0; run < Number(runs); run += 1) {
    const start = performance.now();
    engine.scoreMany(deals, at);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  console.log(`javascript ${form} ${best.toFixed(3)} ${deals.length}`);
}
