// The contract corpus (tests/contract/*.json): every case gives the command line's JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Playbook, Engine } from '../index.js';

const root = new URL('../../../', import.meta.url);
const dir = new URL('tests/contract/', root);
const cases = readdirSync(dir).filter((f) => f.endsWith('.json'));
const engines = new Map();
function engineFor(path, lang) {
  const key = `${path}\0${lang}`;
  if (!engines.has(key)) {
    const playbook = Playbook.fromYaml(readFileSync(new URL(path, root), 'utf8'), path);
    engines.set(key, new Engine(playbook, lang));
  }
  return engines.get(key);
}

test('the corpus has cases', () => assert.ok(cases.length >= 20));

for (const file of cases) {
  test(`contract case ${file}`, () => {
    const c = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const engine = engineFor(c.playbook, c.lang);
    if (c.call === 'metrics') {
      const whole = engine.metrics(c.deals, c.at, { by: c.by });
      assert.equal(JSON.stringify(whole), JSON.stringify(c.expected)); // the keys' order too
      const parts = c.deals.map((deal, i) => engine.metricsPartial([deal], c.at, { by: c.by, firstIndex: i }));
      assert.deepEqual(engine.metricsFinish(engine.metricsMerge(parts.reverse())), c.expected);
      return;
    }
    const got = c.call === 'evaluate' ? engine.evaluate(c.deal, c.at) : engine.score(c.deal, c.at);
    assert.deepEqual(got, c.expected);
    // A deal given as JSON text answers the same.
    const again = c.call === 'evaluate' ? engine.evaluate(JSON.stringify(c.deal), c.at) : engine.score(JSON.stringify(c.deal), c.at);
    assert.deepEqual(again, c.expected);
  });
}
