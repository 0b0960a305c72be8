// Batches in parts and over worker threads: the same answers, in order, as one call on one thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Playbook, Engine, DealError, RequestError } from '../index.js';
import { root, corpus } from './deals.js';
import { PART } from '../parts.js';
import { Pool } from '../workers.js';

const b2b = await Playbook.load(new URL('playbooks/b2b-sales.yaml', root));
const engine = new Engine(b2b, 'en');
const at = '2026-11-27T10:00:00+09:00';

/** A book over several parts, with deals that do not fit on both sides of part boundaries. */
function book() {
  const deals = [];
  for (let i = 0; deals.length < 2 * PART + 500; i += 1) {
    deals.push({ ...corpus[i % corpus.length], id: `D-${i}` });
  }
  const unfit = { fields: { budjet: 1 } };
  for (const index of [0, PART - 1, PART, 2 * PART + 7]) deals[index] = unfit;
  deals[PART + 3] = '{"id": "D-broken", "stage": "qualification"\u001e}';
  deals[PART + 4] = JSON.stringify(deals[PART + 4]);
  // U+001E inside a JSON string is escaped by JSON.stringify: in an all-object part and in a
  // part with texts, such a deal is answered as any other.
  deals[5] = { ...deals[5], id: 'D-\u001e-5' };
  deals[PART + 6] = { ...deals[PART + 6], id: 'D-\u001e-6' };
  return deals;
}

test('a batch over several parts answers as single calls do, on one thread or several', () => {
  const deals = book();
  const singles = deals.map((deal) => {
    try {
      return engine.evaluate(deal, at);
    } catch (e) {
      return e;
    }
  });
  for (const threads of [1, 2, 3]) {
    const answers = engine.evaluateMany(deals, at, undefined, { threads });
    assert.equal(answers.length, deals.length);
    for (const [i, answer] of answers.entries()) {
      if (singles[i] instanceof Error) {
        assert.ok(answer instanceof DealError, `deal ${i + 1} with ${threads} threads`);
        // A deal without an id is named by its place in the whole batch, not in its part.
        const named = singles[i].deal === '(no id)' ? `#${i + 1}` : singles[i].deal;
        assert.equal(answer.deal, named, `deal ${i + 1} with ${threads} threads`);
        assert.deepEqual(answer.problems, singles[i].problems);
      } else {
        assert.deepEqual(answer, singles[i], `deal ${i + 1} with ${threads} threads`);
      }
    }
  }
});

test('the JSON forms answer each deal as its JSON text, errors as their error objects', () => {
  const deals = book();
  for (const threads of [1, 2]) {
    const objects = engine.scoreMany(deals, at, { threads });
    const texts = engine.scoreManyJson(deals, at, { threads });
    assert.equal(texts.length, deals.length);
    for (const [i, text] of texts.entries()) {
      assert.equal(typeof text, 'string');
      assert.ok(!text.includes('\n'));
      const parsed = JSON.parse(text);
      if (objects[i] instanceof Error) {
        assert.ok(text.startsWith('{"error":'), `deal ${i + 1}`);
        assert.deepEqual(parsed, objects[i].data);
      } else {
        assert.deepEqual(parsed, objects[i], `deal ${i + 1}`);
      }
    }
    const evaluated = engine.evaluateManyJson(deals.slice(0, 3), at, 'kim', { threads });
    assert.deepEqual(evaluated.map((t) => JSON.parse(t)).slice(1), engine.evaluateMany(deals.slice(1, 3), at, 'kim'));
  }
  assert.deepEqual(engine.scoreManyJson([], at), []);
});

test('a batch from any iterable, and the requests a batch refuses', () => {
  function* generated() {
    for (let i = 0; i < PART + 10; i += 1) yield { ...corpus[0], id: `G-${i}` };
  }
  const answers = engine.scoreMany(generated(), at, { threads: 2 });
  assert.equal(answers.length, PART + 10);
  assert.equal(answers[PART + 9].deal, 'G-2057');
  assert.throws(() => engine.scoreMany(book(), 'soon', { threads: 2 }), RequestError);
  assert.throws(() => engine.scoreMany([], 'soon'), RequestError);
  assert.throws(() => engine.scoreManyJson([], 'soon'), RequestError);
  for (const threads of [0, -1, 1.5, '2']) {
    assert.throws(() => engine.scoreMany([corpus[0]], at, { threads }), (e) => {
      assert.ok(e instanceof RequestError);
      assert.match(e.message, /^threads: expected a whole number of 1 or more, got /);
      return true;
    });
  }
  assert.throws(() => engine.scoreMany([corpus[0]], at, 4), RequestError);
});

test('workers that fail do not stop a batch: their parts are answered here', async () => {
  const module = new WebAssembly.Module(readFileSync(new URL('../pkg/stagegate_wasm_bg.wasm', import.meta.url)));
  // A playbook the workers cannot load: each worker fails as it starts.
  const pool = new Pool(module, 'not: [a playbook', 'broken.yaml', 'en', 2);
  try {
    const parts = [0, 1, 2, 3, 4].map((n) => ({ first: n, deals: [`part ${n}`] }));
    const here = (part) => ({ answers: [part.deals[0]] });
    const expected = ['part 0', 'part 1', 'part 2', 'part 3', 'part 4'];
    // While they start (parts handed to them are taken back), and once they have failed.
    const starting = pool.run(parts, { kind: 'score', at }, 2, here, (result) => result);
    assert.deepEqual(starting.map((r) => r.answers[0]), expected);
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    assert.equal(pool.size, 0);
    const failed = pool.run(parts, { kind: 'score', at }, 2, here, (result) => result);
    assert.deepEqual(failed.map((r) => r.answers[0]), expected);
  } finally {
    pool.close();
  }
});

test('closing an engine stops its workers; a later batch starts them again', () => {
  const own = new Engine(b2b, 'en');
  const deals = book();
  const first = own.scoreManyJson(deals, at, { threads: 2 });
  own.close();
  assert.deepEqual(own.scoreManyJson(deals, at, { threads: 2 }), first);
  own.close();
});
