// Types of the stagegate package. The answers' types are generated from the crate's JSON Schemas
// (schema/, by scripts/types.mjs into types/), so they are the shapes the engine writes.

import type { StagegateEvaluation } from './types/evaluation.js';
import type { StagegateScores } from './types/scores.js';
import type { StagegateApplied } from './types/applied.js';
import type { StagegateDeal } from './types/deal.js';
import type { StagegateDealInput } from './types/deal-input.js';
import type { StagegateMoveCheck, Blocker } from './types/move-check.js';
import type { StagegateError as ErrorObject } from './types/error.js';
import type { Diagnostic } from './types/diagnostics.js';
import type { StagegateTestReport } from './types/test-report.js';
import type { StagegateMetrics } from './types/metrics.js';
import type { StagegateOutline, OutlineStage, OutlineField, OutlineActivity, OutlineApproval } from './types/outline.js';

/** One deal's evaluation (`evaluate`; an element of `eval --format json`). */
export type Evaluation = StagegateEvaluation;
/** One deal's scores (`score`; a line of `score --format jsonl`). */
export type DealScores = StagegateScores;
/** A move made: the moved deal and what the move sets in motion. */
export type Applied = StagegateApplied;
/** A deal as the engine writes it. */
export type Deal = StagegateDeal;
/** A deal as the engine reads it. */
export type DealInputObject = StagegateDealInput;
/** A move and every blocker. */
export type Move = StagegateMoveCheck;
/** A run of the playbook's test cases (`test --format json`). */
export type TestReport = StagegateTestReport;
/** Pipeline metrics over a book (`metrics --format json`). */
export type Metrics = StagegateMetrics;
/** A playbook as a page shows it: stages, fields, activities, roles, scorecards, approvals. */
export type Outline = StagegateOutline;
export type { OutlineStage, OutlineField, OutlineActivity, OutlineApproval };
/** An error object of the contract, each kind with its data. */
export type ErrorData = ErrorObject;
export type { Blocker, Diagnostic };

/** A deal as an object, or its JSON text (passed as written). */
export type DealInput = DealInputObject | string;
/** A Date (its instant), or an ISO 8601 date or date-time; a zone-less one is read in the playbook's time zone. */
export type TimeInput = Date | string;

/** Who acts: an id and roles. */
export interface Actor { id: string; roles?: string[] }
/** An actor: `{id, roles}`, or an id alone (no roles). */
export type ActorInput = Actor | string;

export interface ApplyOptions { from?: string; force?: string; actor?: ActorInput; at: TimeInput }
export interface DiagramOptions { deal?: DealInput; at?: TimeInput }
export interface MigrateOptions { at: TimeInput; actor?: ActorInput }
/** Who makes a change that is no move, and when. */
export interface ChangeOptions { actor?: ActorInput; at: TimeInput }

/** Who asks for an approval, when, and what they add for the approver. */
export interface RequestOptions extends ChangeOptions { note?: string }

/**
 * Changes to a deal: fields by id (`null` removes one), activities by id (`true` or the date or
 * date-time it was done ticks one; `false` or `null` unticks it), a new owner.
 */
export interface Changes {
  fields?: { [field: string]: unknown };
  activities?: { [activity: string]: boolean | string | null };
  owner?: string;
}
/** A deal as an edit leaves it, with the approvals the edit voided. */
export interface Edited { deal: Deal; voided: string[] }

/** The version of the JSON contract this package speaks. */
export const CONTRACT_VERSION: number;

export class Playbook {
  private constructor();
  static fromYaml(text: string, name?: string): Playbook;
  /** Every diagnostic of a playbook's YAML, whether it loads or not. */
  static checkYaml(text: string, name?: string): Diagnostic[];
  /** Node only: reads the file and calls fromYaml. */
  static load(path: string | URL): Promise<Playbook>;
  readonly name: string;
  readonly yaml: string;
  /** The playbook's `id`. */
  readonly id: string;
  /** The playbook's `version`. */
  readonly version: number;
  check(): Diagnostic[];
  /** The playbook as a page shows it, in `lang` (a language it has; its first without one). */
  outline(lang?: string): Outline;
}

/** How a batch runs. */
export interface BatchOptions {
  /** Threads in Node, this one included (every core by default; 1: this thread alone). */
  threads?: number;
}

export class Engine {
  /** An engine answering in `lang`; without one, in the playbook's first language. */
  constructor(playbook: Playbook, lang?: string);
  /** The playbook this engine answers for. */
  readonly playbook: Playbook;
  evaluate(deal: DealInput, at: TimeInput, actor?: ActorInput): Evaluation;
  score(deal: DealInput, at: TimeInput): DealScores;
  apply(deal: DealInput, to: string, options: ApplyOptions): Applied;
  approve(deal: DealInput, criterion: string, actor: ActorInput, at: TimeInput): Deal;
  /** Opens a deal in a start stage, owned by the actor unless it names another owner. */
  create(deal: DealInput, options: ChangeOptions): Deal;
  /** Imports a deal as it stands elsewhere: every history entry marked imported by the actor. */
  importDeal(deal: DealInput, options: ChangeOptions): Deal;
  /** Changes a deal's fields, activities and owner; the approvals given on a changed value are voided. */
  edit(deal: DealInput, changes: Changes, options: ChangeOptions): Edited;
  /** Archives a deal for `reason`: it refuses moves and edits until unarchived. */
  archive(deal: DealInput, reason: string, options: ChangeOptions): Deal;
  /** Brings an archived deal back. */
  unarchive(deal: DealInput, options: ChangeOptions): Deal;
  /** Asks the approving role for an approval: the deal with the request, and the notify to the role. */
  requestApproval(deal: DealInput, criterion: string, options: RequestOptions): Applied;
  /**
   * Each element the deal's evaluation, or the error of that deal. In Node, a batch of more
   * than 2,048 deals is spread over `threads` threads (every core by default).
   */
  evaluateMany(deals: Iterable<DealInput>, at: TimeInput, actor?: ActorInput | null, options?: BatchOptions): Array<Evaluation | StagegateError>;
  /** Each element the deal's scores, or the error of that deal. */
  scoreMany(deals: Iterable<DealInput>, at: TimeInput, options?: BatchOptions): Array<DealScores | StagegateError>;
  /** evaluateMany, each answer its JSON text (a line of `eval --format jsonl`); an error its error object's text. */
  evaluateManyJson(deals: Iterable<DealInput>, at: TimeInput, actor?: ActorInput | null, options?: BatchOptions): string[];
  /** scoreMany, each answer its JSON text (a line of `score --format jsonl`); an error its error object's text. */
  scoreManyJson(deals: Iterable<DealInput>, at: TimeInput, options?: BatchOptions): string[];
  /** Stops the worker threads of this engine's batches (idle workers never keep Node alive). */
  close(): void;
  /** Pipeline metrics over a book, as `metrics --format json [--by]`. */
  metrics(deals: Iterable<DealInput>, at: TimeInput, options?: { by?: string }): Metrics;
  /** The mergeable metrics partial (JSON text) of deals starting at `firstIndex` in the book. */
  metricsPartial(deals: Iterable<DealInput>, at: TimeInput, options?: { by?: string; firstIndex?: number }): string;
  /** Partials merged into one (JSON text). */
  metricsMerge(partials: Iterable<string>): string;
  /** A partial holding the whole book, finished into its metrics. */
  metricsFinish(partial: string): Metrics;
  /** The playbook as a page shows it, in this engine's language. */
  outline(): Outline;
  /** The playbook's own test cases, as `test --format json`. */
  runTests(at: TimeInput): TestReport;
  /** The playbook as Mermaid or DOT text; with a deal and a time, the deal's stages marked. */
  diagram(format?: 'mermaid' | 'dot', options?: DiagramOptions): string;
  diagram(options: DiagramOptions): string;
  /** A deal pinned to `older` (an earlier version) carried over to this playbook. */
  migrate(deal: DealInput, older: Playbook, options: MigrateOptions): Deal;
  /** What changes for the deal between `older` and this playbook, as `impact --format jsonl`. */
  impact(deal: DealInput, older: Playbook, options: { at: TimeInput }): DealImpact;
}

/** One deal's differences between two playbooks (`impact --format jsonl`). */
export interface DealImpact {
  deal: string;
  stages: string[];
  /** Each tagged by `change`: now_blocked, now_allowed, reasons_changed, added, removed, actors_changed, score, validity. */
  changes: Array<{ change: string; [key: string]: unknown }>;
}

export class StagegateError extends Error {
  /** The contract's `error`: request, load, deal, blocked, forbidden, refused, internal (and, from servers, unauthorized, not-found, conflict, too-large, unavailable). */
  readonly kind: ErrorData['error'];
  /** A stable code, finer than the kind: `undeclared-field`, `not-declared`, `own-deal`, ... */
  readonly code: string;
  /** How to fix it, when there is something to suggest. */
  readonly help: string | null;
  readonly data: ErrorData;
}
export class LoadError extends StagegateError { readonly diagnostics: Diagnostic[] }
export class DealError extends StagegateError { readonly problems: string[]; readonly deal: string }
export class MoveBlocked extends StagegateError { readonly blockers: Blocker[]; readonly move: Move }
export class Forbidden extends StagegateError { readonly move?: Move; readonly roles?: string[] }
export class Refused extends StagegateError {}
export class RequestError extends StagegateError {}
export class InternalError extends StagegateError {}
export class Unauthorized extends StagegateError {}
export class NotFound extends StagegateError {}
export class Conflict extends StagegateError {}
export class TooLarge extends StagegateError {}
export class Unavailable extends StagegateError {}
