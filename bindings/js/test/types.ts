// Checked by `npm run typecheck` (tsc --noEmit): the package's types as a host uses them.
import {
  Playbook, Engine, DealError, MoveBlocked, StagegateError, type Evaluation, type DealScores,
  type Diagnostic, type Applied, type TestReport, type Outline, type Deal, type Edited,
} from 'stagegate';

const playbook: Playbook = await Playbook.load('playbooks/b2b-sales.yaml');
const diagnostics: Diagnostic[] = playbook.check();
const engine = new Engine(playbook, 'en');
const evaluation: Evaluation = engine.evaluate({ id: 'D-1', stage: 'qualification' }, new Date());
const stages: string[] = evaluation.stages;
const blocked: string[] = evaluation.transitions
  .filter((move) => !move.allowed)
  .flatMap((move) => move.blockers.map((b) => `${move.to}: ${b.reason} ${b.message}`));
const scores: DealScores = engine.score('{"id": "D-1"}', '2026-11-27');
const total: number | undefined = scores.scores['lead']?.total;
try {
  const moved: Applied = engine.apply({ id: 'D-1' }, 'needs_analysis', {
    at: '2026-11-27',
    actor: { id: 'yoon', roles: ['rep'] },
  });
  console.log(moved.deal.stages, moved.effects.length);
} catch (e) {
  if (e instanceof MoveBlocked) console.log(e.blockers.map((b) => b.message));
  if (e instanceof DealError) console.log(e.problems, e.deal);
  if (e instanceof StagegateError && e.kind === 'forbidden') console.log(e.data.message);
}
for (const answer of engine.scoreMany([{ id: 'D-1' }, { id: 7 }], '2026-11-27')) {
  if (answer instanceof StagegateError) console.log(answer.kind);
  else console.log(answer.deal);
}
const lines: string[] = engine.scoreManyJson([{ id: 'D-1' }], new Date(), { threads: 2 });
const evaluated = engine.evaluateMany([{ id: 'D-1' }], '2026-11-27', null, { threads: 1 });
engine.close();
const report: TestReport = engine.runTests('2026-11-27');
const mermaid: string = engine.diagram('mermaid', { deal: { id: 'D-1' }, at: '2026-11-27' });
const outline: Outline = playbook.outline('ko');
const money: string[] = engine.outline().fields.filter((field) => field.money).map((field) => field.title);
const columns: string[] = outline.stages.filter((stage) => !stage.terminal).map((stage) => stage.title);
console.log(money, columns);
console.log(diagnostics.length, stages, blocked, total, report.cases.length, mermaid.length, lines, evaluated);
const created: Deal = engine.create({ id: 'D-2' }, { actor: { id: 'yoon', roles: ['rep'] }, at: '2026-11-27' });
const imported: Deal = engine.importDeal({ id: 'D-3', stage: 'closing' }, { actor: 'kang', at: new Date() });
const edited: Edited = engine.edit(created, { fields: { budget: 90000 }, activities: { discovery_call: true } }, { actor: 'yoon', at: '2026-11-28' });
const voided: string[] = edited.voided;
const archived: Deal = engine.archive(edited.deal, 'duplicate', { actor: 'yoon', at: '2026-11-29' });
const back: Deal = engine.unarchive(archived, { actor: 'yoon', at: '2026-11-30' });
console.log(imported.history, voided, back.archived);
