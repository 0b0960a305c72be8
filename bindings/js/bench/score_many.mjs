// Times `engine.scoreMany` and `engine.scoreManyJson` from JavaScript on a JSON Lines book of
// leads, excluding Node's start and reading the file; checks every answer equals the command
// line's line first.
//
// Usage: node score_many.mjs PLAYBOOK LEADS.jsonl CLI_OUTPUT.jsonl AT RUNS
// Prints one line per call, input form and threads: `javascript <call(form)> <best seconds>
// <leads>`, then the floor of any object form: `JSON.parse` of the command line's answers.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Playbook, Engine } from '../index.js';

const [playbookPath, book, printed, at, runs] = process.argv.slice(2);
const engine = new Engine(await Playbook.load(playbookPath));
const lines = readFileSync(book, 'utf8').split('\n').filter((line) => line.trim() !== '');
const objects = lines.map((line) => JSON.parse(line));
const printedLines = readFileSync(printed, 'utf8').split('\n').filter((l) => l !== '');
const expected = printedLines.map((l) => JSON.parse(l));

function best(run) {
  let fastest = Infinity;
  for (let i = 0; i < Number(runs); i += 1) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, (performance.now() - start) / 1000);
  }
  return fastest.toFixed(3);
}

for (const threads of [1, undefined]) {
  const on = threads === 1 ? 'one thread' : 'every core';
  for (const [form, deals] of [['objects', objects], ['json texts', lines]]) {
    for (const [call, wanted, same] of [
      ['scoreMany', expected, isDeepStrictEqual],
      ['scoreManyJson', printedLines, (a, b) => a === b],
    ]) {
      const answers = engine[call](deals, at, { threads });
      const bad = answers.findIndex((answer, i) => !same(answer, wanted[i]));
      if (bad >= 0 || answers.length !== wanted.length) {
        console.error(`javascript ${call}(${form}): lead ${bad + 1} differs from the command line`);
        process.exit(1);
      }
      console.log(`javascript ${call}(${form}, ${on}) ${best(() => engine[call](deals, at, { threads }))} ${deals.length}`);
    }
  }
}
console.log(`javascript JSON.parse(answers) ${best(() => printedLines.map((l) => JSON.parse(l)))} ${printedLines.length}`);
engine.close();
