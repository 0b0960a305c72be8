// Errors of each kind, batches against single calls, times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  Playbook, Engine, StagegateError, LoadError, DealError, MoveBlocked, Forbidden, Refused,
  RequestError, CONTRACT_VERSION,
} from '../index.js';
import { root, corpus } from './deals.js';

const b2b = await Playbook.load(new URL('playbooks/b2b-sales.yaml', root));
const engine = new Engine(b2b, 'en');
const exampleDeal = (name) => JSON.parse(readFileSync(new URL(`tests/contract/evaluate-${name}.json`, root), 'utf8')).deal;
const qualified = corpus[0];

test('the contract version is a number', () => assert.equal(typeof CONTRACT_VERSION, 'number'));

test('a playbook that does not load is a LoadError with diagnostics', () => {
  assert.throws(() => Playbook.fromYaml('id: x\nstages: 3\n', 'bad.yaml'), (e) => {
    assert.ok(e instanceof LoadError && e instanceof StagegateError && e instanceof Error);
    assert.equal(e.kind, 'load');
    assert.ok(e.diagnostics.length > 0);
    assert.equal(e.diagnostics[0].file, 'bad.yaml');
    return true;
  });
});

test('check answers the diagnostics as an array', () => {
  assert.ok(Array.isArray(b2b.check()));
});

test('a deal that does not fit is a DealError naming the deal and its problems', () => {
  assert.throws(() => engine.evaluate({ id: 'D-9', stage: 'qualification', fields: { budjet: 1 } }, '2026-11-27'), (e) => {
    assert.ok(e instanceof DealError);
    assert.equal(e.deal, 'D-9');
    assert.match(e.problems[0], /budjet/);
    return true;
  });
});

test('a bad time, language or actor is a RequestError', () => {
  assert.throws(() => engine.score(qualified, 'tomorrow'), RequestError);
  assert.throws(() => engine.score(qualified, new Date('nonsense')), RequestError);
  assert.throws(() => engine.score(qualified, 20261127), RequestError);
  assert.throws(() => new Engine(b2b, 'xx'), RequestError);
  assert.throws(() => engine.evaluate(qualified, '2026-11-27', { id: 'kim', roles: ['pope'] }), RequestError);
  assert.throws(() => engine.apply(qualified, 'needs_analysis', { at: '2026-11-27', by: 'kim' }), RequestError);
});

test('a move without an actor is Refused; a blocked move is MoveBlocked with its blockers', () => {
  const deal = { id: 'D-2', stage: 'qualification', fields: {} };
  assert.throws(() => engine.apply(deal, 'needs_analysis', { at: '2026-11-27' }), Refused);
  assert.throws(() => engine.apply(deal, 'needs_analysis', { at: '2026-11-27', actor: { id: 'yoon', roles: ['rep'] } }), (e) => {
    assert.ok(e instanceof MoveBlocked);
    assert.ok(e.blockers.length > 0);
    assert.equal(e.move.to, 'needs_analysis');
    return true;
  });
});

test('a forced move answers the moved deal and its effects', () => {
  const deal = { id: 'D-2', stage: 'qualification', fields: {} };
  const moved = engine.apply(deal, 'needs_analysis', { at: '2026-11-27', force: 'the CEO asked', actor: { id: 'kim', roles: ['manager'] } });
  assert.deepEqual(moved.deal.stages ?? [moved.deal.stage], ['needs_analysis']);
  assert.ok(Array.isArray(moved.effects));
});

test('forcing without a role that may is Forbidden', () => {
  const deal = { id: 'D-2', stage: 'qualification', fields: {} };
  assert.throws(() => engine.apply(deal, 'needs_analysis', { at: '2026-11-27', force: 'why not', actor: { id: 'lee', roles: ['rep'] } }), (e) => {
    assert.ok(e instanceof Forbidden);
    assert.equal(e.move.to, 'needs_analysis');
    return true;
  });
});

test('approvals keep four eyes: the owner may not approve, another finance person may', () => {
  const deal = exampleDeal('11-discount-approval');
  assert.throws(() => engine.apply(deal, 'closing', { actor: { id: 'yoon', roles: ['rep'] }, at: '2026-11-27' }), (e) => {
    assert.ok(e instanceof MoveBlocked);
    assert.equal(e.blockers[0].reason, 'approval_missing');
    return true;
  });
  assert.throws(() => engine.approve(deal, 'discount_approved', { id: 'yoon', roles: ['finance'] }, '2026-11-27'), (e) => {
    assert.ok(e instanceof Forbidden);
    assert.deepEqual(e.roles, ['finance']);
    return true;
  });
  const approved = engine.approve(deal, 'discount_approved', { id: 'han', roles: ['finance'] }, '2026-11-27');
  assert.equal(approved.approvals.discount_approved.by, 'han');
  assert.throws(() => engine.approve(approved, 'discount_approved', { id: 'han', roles: ['finance'] }, '2026-11-27'), Refused);
  const moved = engine.apply(approved, 'closing', { actor: { id: 'yoon', roles: ['rep'] }, at: '2026-11-28' });
  assert.deepEqual(moved.deal.stages, ['closing']);
  assert.ok(moved.effects.some((e) => e.activity === 'contract_signing'));
});

test('tests, diagrams and migrations answer as the command line does', () => {
  const report = engine.runTests('2026-11-27');
  assert.ok(report.cases.length > 30);
  assert.ok(report.cases.every((c) => c.failures.length === 0));
  assert.ok(engine.diagram().startsWith('stateDiagram-v2'));
  assert.ok(engine.diagram('dot').startsWith('digraph'));
  const marked = engine.diagram('mermaid', { deal: corpus[0], at: '2026-11-27' });
  assert.notEqual(marked, engine.diagram());
  assert.throws(() => engine.diagram('svg'), RequestError);
  assert.throws(() => engine.diagram('mermaid', { deal: corpus[0] }), RequestError);
  const v2 = Playbook.fromYaml(
    b2b.yaml.replace('\nversion: 1\n', '\nversion: 2\n').replaceAll('needs_analysis', 'discovery')
      + '\nmigrations:\n  - from: 1\n    stages: { needs_analysis: discovery }\n',
    'v2.yaml',
  );
  assert.equal(v2.id, 'b2b-sales');
  assert.equal(v2.version, 2);
  const moved = new Engine(v2).migrate({ id: 'ACME-7', playbook: 'b2b-sales@1', stage: 'needs_analysis' }, b2b, { at: '2026-11-27', actor: 'kim' });
  assert.deepEqual(moved.stages, ['discovery']);
  assert.equal(moved.playbook, 'b2b-sales@2');
  assert.throws(() => engine.migrate({ id: 'X' }, v2, { at: '2026-11-27' }), RequestError);
});

test('evaluateMany and scoreMany agree with single calls, errors in place', () => {
  const deals = [...corpus, { id: 'BAD', fields: { budjet: 1 } }];
  const evaluations = engine.evaluateMany(deals, '2026-11-27');
  const scores = engine.scoreMany(deals.map((d) => JSON.stringify(d)), '2026-11-27');
  assert.equal(evaluations.length, deals.length);
  corpus.forEach((deal, i) => {
    assert.deepEqual(evaluations[i], engine.evaluate(deal, '2026-11-27'));
    assert.deepEqual(scores[i], engine.score(deal, '2026-11-27'));
  });
  assert.ok(evaluations.at(-1) instanceof DealError);
  assert.equal(evaluations.at(-1).deal, 'BAD');
  assert.ok(scores.at(-1) instanceof DealError);
  assert.throws(() => engine.scoreMany(deals, 'later'), RequestError);
  // A deal without an id is named by its position; a text that is not JSON fails alone.
  const odd = engine.scoreMany([corpus[0], { fields: { budjet: 1 } }, '{not json', corpus[1]], '2026-11-27');
  assert.deepEqual(odd[0], engine.score(corpus[0], '2026-11-27'));
  assert.ok(odd[1] instanceof DealError);
  assert.equal(odd[1].deal, '#2');
  assert.ok(odd[2] instanceof DealError);
  assert.deepEqual(odd[3], engine.score(corpus[1], '2026-11-27'));
  // As an actor sees them: the same as one by one.
  const rep = { id: 'yoon', roles: ['rep'] };
  assert.deepEqual(engine.evaluateMany(corpus.slice(0, 3), '2026-11-27', rep), corpus.slice(0, 3).map((d) => engine.evaluate(d, '2026-11-27', rep)));
});

test('a Date is its instant; a zone-less string is read in the playbook time zone', () => {
  const instant = '2026-11-27T15:30:00Z';
  assert.deepEqual(engine.evaluate(qualified, new Date(instant)), engine.evaluate(qualified, instant));
  assert.equal(engine.evaluate(qualified, new Date(instant)).at, instant);
  assert.equal(engine.evaluate(qualified, '2026-11-27T15:30:00+00:00').at, instant);
  const zone = /timezone:\s*(\S+)/.exec(b2b.yaml)?.[1] ?? 'UTC';
  const local = engine.evaluate(qualified, '2026-11-27T15:30:00').at;
  if (zone === 'UTC') assert.equal(local, instant);
  else assert.notEqual(local, instant);
});

test('metrics partials merge to the whole book and refuse a deal held twice or by none', () => {
  const whole = engine.metrics(corpus, '2026-11-27', { by: 'industry' });
  assert.equal(whole.deals, corpus.length);
  const first = engine.metricsPartial(corpus.slice(0, 4), '2026-11-27', { by: 'industry' });
  const rest = engine.metricsPartial(corpus.slice(4), '2026-11-27', { by: 'industry', firstIndex: 4 });
  assert.deepEqual(engine.metricsFinish(engine.metricsMerge([rest, first])), whole);
  assert.throws(() => engine.metricsMerge([first, first]), (e) => e instanceof RequestError && /index 0 of the book is in two partials/.test(e.message));
  const late = engine.metricsPartial(corpus.slice(5), '2026-11-27', { by: 'industry', firstIndex: 5 });
  assert.throws(() => engine.metricsFinish(engine.metricsMerge([first, late])), (e) => e instanceof RequestError && /indexes 4 to 4 of the book are in no partial/.test(e.message));
  assert.throws(() => engine.metricsPartial(corpus, '2026-11-27', { by: 'budjet' }), RequestError);
  assert.throws(() => engine.metricsPartial(corpus, '2026-11-27', { firstIndex: -1 }), RequestError);
  assert.throws(() => engine.metrics(['{"id": "X", "history": 5}'], '2026-11-27'), DealError);
});

test('a deal given as text is one JSON object: it cannot add keys to a move', () => {
  const manager = { id: 'boss', roles: ['manager'] };
  const injected = '{"id":"X","stage":"qualification"},"force":"injected"';
  assert.throws(() => engine.apply(injected, 'needs_analysis', { at: '2026-11-27', actor: manager }), (e) => {
    assert.ok(e instanceof DealError, String(e));
    assert.match(e.message, /not JSON/);
    return true;
  });
  const actor = '{"id":"X","stage":"qualification"},"actor":{"id":"boss","roles":["manager"]},"force":"x"';
  assert.throws(() => engine.apply(actor, 'needs_analysis', { at: '2026-11-27' }), DealError);
  assert.throws(() => engine.approve('[1]', 'discount_approved', manager, '2026-11-27'), DealError);
  // The same deal as plain text moves (here: blocked by its gates, not forced).
  assert.throws(() => engine.apply('{"id":"X","stage":"qualification"}', 'needs_analysis', { at: '2026-11-27', actor: manager }), MoveBlocked);
});

test('a batch is an iterable of deals; a deal of another kind fails alone, in its place', () => {
  assert.throws(() => engine.scoreMany(corpus[0], '2026-11-27'), RequestError);
  assert.throws(() => engine.scoreMany(null, '2026-11-27'), RequestError);
  const answers = engine.scoreMany([corpus[0], null, 42, [1], corpus[1]], '2026-11-27');
  assert.deepEqual(answers[0], engine.score(corpus[0], '2026-11-27'));
  for (const [i, answer] of answers.slice(1, 4).entries()) {
    assert.ok(answer instanceof DealError, String(answer));
    assert.equal(answer.deal, `#${i + 2}`);
  }
  assert.deepEqual(answers[4], engine.score(corpus[1], '2026-11-27'));
});

test('diagram takes its options without a format; checkYaml lists what keeps a playbook from loading', () => {
  assert.equal(engine.diagram({ deal: corpus[0], at: '2026-11-27' }), engine.diagram('mermaid', { deal: corpus[0], at: '2026-11-27' }));
  const broken = b2b.yaml.replace('\ntransitions:', '\ntransitons:');
  assert.throws(() => Playbook.fromYaml(broken, 'typo.yaml'), LoadError);
  const found = Playbook.checkYaml(broken, 'typo.yaml');
  assert.ok(found.some((d) => d.severity === 'error' && d.file === 'typo.yaml'), JSON.stringify(found));
  assert.deepEqual(Playbook.checkYaml(b2b.yaml, 'b2b.yaml'), b2b.check());
});

test('impact: what a second version changes for a deal, as the command line says it', () => {
  const bundledText = readFileSync(new URL('playbooks/b2b-sales.yaml', root), 'utf8');
  const newer = Playbook.fromYaml(bundledText.replace('budget >= 10_000', 'budget >= 60_000'), 'newer.yaml');
  const deal = { id: 'D-1', stage: 'qualification', fields: { budget: 50000, decision_maker: 'CFO', need: 'x', timeline_days: 60 }, activities: { discovery_call: '2026-11-20' } };
  const impact = new Engine(newer, 'en').impact(deal, b2b, { at: '2026-11-27' });
  assert.equal(impact.deal, 'D-1');
  const blocked = impact.changes.find((c) => c.change === 'now_blocked');
  assert.ok(blocked, JSON.stringify(impact));
  assert.equal(blocked.to, 'needs_analysis');
  assert.throws(() => new Engine(newer).impact(deal, 'not a playbook', { at: '2026-11-27' }), RequestError);
});

test('the outline: what a page shows, in the engine\'s language or the one asked for', () => {
  const outline = engine.outline();
  assert.equal(outline.playbook, 'b2b-sales@1');
  assert.equal(outline.language, 'en');
  const mainPath = outline.stages.filter((stage) => !stage.terminal).map((stage) => stage.id);
  assert.deepEqual(mainPath.slice(0, 2), ['lead_generation', 'qualification']);
  assert.ok(outline.stages.slice(mainPath.length).every((stage) => stage.terminal), 'terminal stages after the main path');
  const field = (id) => outline.fields.find((f) => f.id === id);
  assert.deepEqual(field('industry').values[1], { id: 'finance', title: 'Finance' });
  assert.equal(outline.currency, 'USD');
  assert.equal(field('amount').money, true);
  assert.equal(field('stakeholders').list, true);
  assert.equal(outline.stages[1].activities.find((a) => a.id === 'discovery_call').stage, 'qualification');
  assert.deepEqual(outline.approvals.map((a) => [a.criterion, a.role, a.message]), [['discount_approved', 'finance', 'needs approval by Finance']]);
  assert.equal(b2b.outline('ko').stages[1].title, '자격 검증');
  assert.equal(b2b.outline().language, 'ko', 'the playbook\'s first language');
  assert.throws(() => b2b.outline('kr'), RequestError);
});
