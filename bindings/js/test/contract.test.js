// The contract corpus (tests/contract/*.json): every case gives the command line's JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  Playbook, Engine, StagegateError, RequestError, LoadError, DealError, MoveBlocked, Forbidden, Refused,
} from '../index.js';

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

// One problem shape: every kind of error the library gives (tests/contract/errors/*.json) is the
// contract's error object, thrown as the Error of its kind with its kind, code and help.
const errorDir = new URL('tests/contract/errors/', root);
const errorCases = readdirSync(errorDir).filter((f) => f.endsWith('.json'));
const classes = {
  request: RequestError, load: LoadError, deal: DealError, blocked: MoveBlocked, forbidden: Forbidden, refused: Refused,
};

test('every kind of error the library gives has a case', () => {
  const kinds = new Set(errorCases.map((f) => JSON.parse(readFileSync(new URL(f, errorDir), 'utf8')).expected.error));
  assert.deepEqual([...kinds].sort(), Object.keys(classes).sort());
});

for (const file of errorCases) {
  test(`error case ${file}`, () => {
    const c = JSON.parse(readFileSync(new URL(file, errorDir), 'utf8'));
    const expected = c.expected;
    assert.throws(() => {
      const engine = new Engine(Playbook.fromYaml(readFileSync(new URL(c.playbook, root), 'utf8'), c.playbook), c.lang);
      const r = c.request;
      if (c.call === 'apply') {
        const options = { at: r.at };
        for (const key of ['from', 'force', 'actor']) if (r[key] !== undefined) options[key] = r[key];
        engine.apply(r.deal, r.to, options);
      } else {
        engine.approve(r.deal, r.criterion, r.actor, r.at);
      }
    }, (error) => {
      assert.ok(error instanceof StagegateError);
      assert.equal(error.constructor, classes[expected.error]);
      assert.deepEqual([error.kind, error.code, error.help], [expected.error, expected.code, expected.help ?? null]);
      assert.deepEqual(error.data, expected);
      assert.equal(error.message, expected.message);
      return true;
    });
  });
}
