// Changes that are no moves: create, importDeal, edit, archive and unarchive, on the bundled
// playbook (the owner and managers edit and archive, managers import).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Playbook, Engine, Forbidden, Refused, RequestError } from '../index.js';
import { root } from './deals.js';

const engine = new Engine(await Playbook.load(new URL('playbooks/b2b-sales.yaml', root)), 'en');
const discountDeal = () => JSON.parse(readFileSync(new URL('tests/contract/evaluate-11-discount-approval.json', root), 'utf8')).deal;
const yoon = { id: 'yoon', roles: ['rep'] };
const kim = { id: 'kim', roles: ['rep'] };
const kang = { id: 'kang', roles: ['manager'] };

test('create opens a deal in the first stage, owned by its creator; an import a rep may not make is forbidden', () => {
  const created = engine.create({ id: 'D-1' }, { actor: yoon, at: '2026-11-27T09:00:00Z' });
  assert.deepEqual(created.stages, ['lead_generation']);
  assert.equal(created.owner, 'yoon');
  assert.deepEqual(created.history, [{ at: '2026-11-27T09:00:00Z', to: 'lead_generation', by: 'yoon' }]);
  assert.throws(() => engine.create({ id: 'D-2', stage: 'closing' }, { actor: yoon, at: '2026-11-27' }), (e) => {
    assert.ok(e instanceof Forbidden);
    assert.equal(e.code, 'not-permitted');
    assert.deepEqual(e.roles, ['manager']);
    return true;
  });
  assert.throws(() => engine.create({ id: 'D-3' }, { at: '2026-11-27' }), (e) => e instanceof Refused && e.code === 'no-actor');
  assert.throws(() => engine.create({ id: 'D-3' }, { at: '2026-11-27', by: 'yoon' }), RequestError);
});

test('importDeal marks every history entry imported by the manager', () => {
  const deal = {
    id: 'O-1',
    stage: 'qualification',
    history: [
      { at: '2026-10-01', to: 'lead_generation' },
      { at: '2026-10-20', from: 'lead_generation', to: 'qualification' },
    ],
  };
  const imported = engine.importDeal(deal, { actor: kang, at: '2026-11-27' });
  assert.equal(imported.owner, 'kang');
  assert.deepEqual(imported.history.map((e) => [e.imported, e.imported_by]), [[true, 'kang'], [true, 'kang']]);
  assert.throws(() => engine.importDeal(deal, { actor: yoon, at: '2026-11-27' }), (e) => e instanceof Forbidden && e.roles[0] === 'manager');
});

test('edit by the owner voids the approval given on the old discount; another rep is forbidden with every change', () => {
  const approved = engine.approve(discountDeal(), 'discount_approved', { id: 'han', roles: ['finance'] }, '2026-11-26');
  const edited = engine.edit(approved, { fields: { discount_pct: 19 } }, { actor: yoon, at: '2026-11-27' });
  assert.deepEqual(edited.voided, ['discount_approved']);
  assert.equal(edited.deal.fields.discount_pct, 19);
  assert.equal(edited.deal.approvals, undefined);
  assert.deepEqual(edited.deal.history.at(-1), {
    at: '2026-11-27T00:00:00Z',
    by: 'yoon',
    edit: { field: 'discount_pct', before: 30, after: 19, voided: ['discount_approved'] },
  });
  assert.throws(() => engine.edit(discountDeal(), { fields: { discount_pct: 10 }, owner: 'kim' }, { actor: kim, at: '2026-11-27' }), (e) => {
    assert.ok(e instanceof Forbidden);
    assert.deepEqual(e.roles, ['owner', 'manager']);
    // Every change refused, in one message.
    assert.match(e.message, /may change .*; only the deal's owner or Sales manager may give the deal another owner/);
    assert.equal(e.data.deal, 'D-1011');
    return true;
  });
  assert.throws(() => engine.edit(discountDeal(), null, { actor: yoon, at: '2026-11-27' }), RequestError);
});

test('archive refuses moves until unarchive', () => {
  const archived = engine.archive(discountDeal(), 'duplicate of D-7', { actor: yoon, at: '2026-11-27' });
  assert.deepEqual(archived.archived, { at: '2026-11-27T00:00:00Z', by: 'yoon', reason: 'duplicate of D-7' });
  assert.throws(() => engine.apply(archived, 'closing', { actor: kang, force: 'board', at: '2026-11-28' }), (e) => e instanceof Refused && e.code === 'archived');
  assert.throws(() => engine.unarchive(archived, { actor: kim, at: '2026-11-28' }), (e) => e instanceof Forbidden && e.roles.includes('owner'));
  const back = engine.unarchive(archived, { actor: kang, at: '2026-11-28' });
  assert.equal(back.archived, undefined);
  assert.deepEqual(back.history.at(-1), { at: '2026-11-28T00:00:00Z', by: 'kang', unarchived: true });
  assert.throws(() => engine.unarchive(back, { actor: kang, at: '2026-11-28' }), (e) => e instanceof Refused && e.code === 'not-archived');
});

test('requestApproval records the request and notifies Finance; a reminder is recorded again', () => {
  const asked = engine.requestApproval(discountDeal(), 'discount_approved', { actor: yoon, at: '2026-11-27', note: 'signs Friday' });
  assert.deepEqual(asked.deal.history.at(-1), { at: '2026-11-27T00:00:00Z', by: 'yoon', approval_requested: 'discount_approved', note: 'signs Friday' });
  const [notify] = asked.effects;
  assert.deepEqual([notify.kind, notify.on, notify.role, notify.criterion], ['notify', 'request', 'finance', 'discount_approved']);
  assert.equal(notify.message, 'yoon asks Finance for an approval on D-1011: `discount_approved` (note: signs Friday)');
  const again = engine.requestApproval(asked.deal, 'discount_approved', { actor: yoon, at: '2026-11-28' });
  assert.deepEqual(again.deal.history.slice(-2).map((e) => e.approval_requested), ['discount_approved', 'discount_approved']);
  assert.throws(() => engine.requestApproval(discountDeal(), 'discount_approved', { actor: kim, at: '2026-11-27' }), (e) => e instanceof Forbidden && e.roles.includes('owner'));
  assert.throws(() => engine.requestApproval(discountDeal(), 'discount_aproved', { actor: yoon, at: '2026-11-27' }), (e) => {
    assert.ok(e instanceof Refused);
    assert.equal(e.code, 'unknown-criterion');
    assert.match(e.message, /did you mean `discount_approved`\?/);
    return true;
  });
  assert.throws(() => engine.requestApproval(discountDeal(), 'discount_approved', { actor: yoon, at: '2026-11-27', by: 'yoon' }), RequestError);
});
