// The stagegate engine for JavaScript: one ES module for Node 18+, browsers and bundlers.
// The WebAssembly is built by wasm-bindgen (--target web) into ./pkg; this module instantiates it
// (from bytes read with fs in Node, by fetch of a URL beside this file elsewhere) and wraps the
// JSON contract: objects in, objects out, error objects as Error subclasses.
import init, {
  initSync,
  Contract as WasmContract,
  check as wasmCheck,
  contractVersion as wasmContractVersion,
} from './pkg/stagegate_wasm.js';

import { partsOf, payloadOf, answerPart } from './parts.js';

const wasmUrl = new URL('./pkg/stagegate_wasm_bg.wasm', import.meta.url);
const inNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
/** The compiled WebAssembly, which batch workers instantiate again (Node only). */
let wasmModule = null;
/** Worker threads for batches: Node's worker_threads, none elsewhere. */
let workers = null;
if (inNode && wasmUrl.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  wasmModule = new WebAssembly.Module(await readFile(wasmUrl));
  initSync({ module: wasmModule });
  workers = await import('./workers.js');
} else {
  await init({ module_or_path: wasmUrl });
}

/** The version of the JSON contract this package speaks. */
export const CONTRACT_VERSION = wasmContractVersion();

/**
 * Every error the engine answers with, in the contract's one problem shape: `kind` is its `error`,
 * `code` a stable code finer than the kind, `help` how to fix it (when there is something to
 * suggest), `data` the whole error object.
 */
export class StagegateError extends Error {
  constructor(data) {
    super(data.message);
    this.name = new.target.name;
    this.kind = data.error;
    this.code = data.code ?? data.error;
    this.help = data.help ?? null;
    this.data = data;
  }
}
/** The playbook does not load. */
export class LoadError extends StagegateError {
  get diagnostics() { return this.data.diagnostics; }
}
/** The deal does not fit the playbook. */
export class DealError extends StagegateError {
  get problems() { return this.data.problems; }
  get deal() { return this.data.deal; }
}
/** A move blocked by its gates. */
export class MoveBlocked extends StagegateError {
  get blockers() { return this.data.move.blockers; }
  get move() { return this.data.move; }
}
/** The actor may not make or force the move, or give the approval. */
export class Forbidden extends StagegateError {
  get move() { return this.data.move; }
  get roles() { return this.data.roles; }
}
/** Any other refusal of a move or an approval. */
export class Refused extends StagegateError {}
/** The request is not what the call takes. */
export class RequestError extends StagegateError {}
/** The engine failed on a deal: a defect of stagegate, please report it. */
export class InternalError extends StagegateError {}
/** A server did not know the caller (no token, or one that is not valid). */
export class Unauthorized extends StagegateError {}
/** What the request names does not exist (a deal, a playbook version, a route). */
export class NotFound extends StagegateError {}
/** The request conflicts with what is stored (a deal changed since it was read, an id taken). */
export class Conflict extends StagegateError {}
/** The request is larger than the server's limit. */
export class TooLarge extends StagegateError {}
/** A store or service the answer needs does not answer now; try again. */
export class Unavailable extends StagegateError {}

const KINDS = {
  load: LoadError,
  deal: DealError,
  blocked: MoveBlocked,
  forbidden: Forbidden,
  refused: Refused,
  request: RequestError,
  internal: InternalError,
  unauthorized: Unauthorized,
  'not-found': NotFound,
  conflict: Conflict,
  'too-large': TooLarge,
  unavailable: Unavailable,
};

/** An error object of the contract (its JSON text) as the Error of its kind. */
function toError(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return new InternalError({ error: 'internal', code: 'internal', message: String(text) });
  }
  return errorOf(data);
}

/** A contract's error object as the Error of its kind. */
function errorOf(data) {
  const Kind = KINDS[data.error] ?? StagegateError;
  return new Kind(data);
}

/** Calls the contract; its answer parsed, its error thrown as an Error. */
function call(run) {
  return JSON.parse(contractCall(run));
}

/** Calls the contract: its answer as it comes, its error (JSON text) thrown as an Error. */
function contractCall(run) {
  try {
    return run();
  } catch (e) {
    throw typeof e === 'string' ? toError(e) : e;
  }
}

function requestError(message) {
  return new RequestError({ error: 'request', code: 'request', message });
}

/** A deal this package cannot hand over (not JSON, not an object), as the contract words one. */
function unreadableDeal(message, problem) {
  return new DealError({
    error: 'deal', code: 'unreadable', message, deal: '(no id)',
    problems: [problem], details: [{ code: 'unreadable', message: problem }],
  });
}

/** A deal as the contract's JSON text: a string is passed as written. */
function dealText(deal) {
  if (typeof deal === 'string') return deal;
  if (deal === null || typeof deal !== 'object' || Array.isArray(deal)) {
    throw requestError(`a deal: expected an object or its JSON text, got ${deal === null ? 'null' : Array.isArray(deal) ? 'an array' : typeof deal}`);
  }
  return JSON.stringify(deal);
}

/** A time as the contract reads it: a Date as its UTC instant, a string as written. */
function timeText(at, name = 'at') {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw requestError(`${name}: an invalid Date`);
    return at.toISOString();
  }
  if (typeof at === 'string') return at;
  throw requestError(`${name}: expected a Date or an ISO 8601 string, got ${at === null ? 'null' : typeof at}`);
}

/** An actor as the contract reads it: `{id, roles}`, or an id alone (no roles). */
function actorObject(actor, name = 'actor') {
  if (typeof actor === 'string') return { id: actor };
  if (actor === null || typeof actor !== 'object' || Array.isArray(actor)) {
    throw requestError(`${name}: expected {id, roles} or an id`);
  }
  return actor;
}

/** An optional actor as JSON text, or undefined. */
function actorText(actor) {
  return actor === undefined || actor === null ? undefined : JSON.stringify(actorObject(actor));
}

/** A playbook: its YAML text, loaded and checked. */
export class Playbook {
  #text;
  #name;
  /** @internal */
  constructor(text, name, contract) {
    this.#text = text;
    this.#name = name;
    this._contract = contract;
  }

  /** Loads a playbook from YAML text; `name` names it in diagnostics. Throws LoadError. */
  static fromYaml(text, name = 'playbook.yaml') {
    if (typeof text !== 'string') throw requestError('a playbook: expected its YAML text');
    const contract = contractCall(() => WasmContract.load(text, name, undefined));
    return new Playbook(text, name, contract);
  }

  /**
   * Every diagnostic of a playbook's YAML text, whether it loads or not (errors and warnings,
   * as `check --format json` prints them); `name` names it in them.
   */
  static checkYaml(text, name = 'playbook.yaml') {
    if (typeof text !== 'string') throw requestError('a playbook: expected its YAML text');
    return JSON.parse(wasmCheck(text, String(name)));
  }

  /** Loads a playbook file (Node only). Throws LoadError. */
  static async load(path) {
    if (!inNode) throw requestError('Playbook.load reads files and needs Node: use Playbook.fromYaml');
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8');
    return Playbook.fromYaml(text, String(path));
  }

  /** The playbook's name in diagnostics. */
  get name() { return this.#name; }
  /** The playbook's YAML text. */
  get yaml() { return this.#text; }
  /** The playbook's `id`. */
  get id() { return this._contract.pin().split('@')[0]; }
  /** The playbook's `version`. */
  get version() { return Number(this._contract.pin().split('@')[1]); }

  /** Every diagnostic (warnings included), as `check --format json` prints them. */
  check() {
    return JSON.parse(wasmCheck(this.#text, this.#name));
  }

  /**
   * The playbook as a page shows it: stages in main-path order, fields with their values,
   * activities, roles, scorecards, approvals; texts in `lang` (a language it has), else in its
   * first language.
   */
  outline(lang) {
    const chosen = lang === undefined || lang === null ? undefined : String(lang);
    return call(() => this._contract.outline(chosen));
  }
}

/** Evaluates, scores, moves and approves deals under one playbook, in one language. */
export class Engine {
  #contract;
  #playbook;
  #pool = null;
  constructor(playbook, lang) {
    if (!(playbook instanceof Playbook)) throw requestError('new Engine: expected a Playbook');
    this.#playbook = playbook;
    if (lang === undefined || lang === null) {
      this.#contract = playbook._contract;
    } else {
      this.#contract = contractCall(() => WasmContract.load(playbook.yaml, playbook.name, String(lang)));
    }
  }

  /** The playbook this engine answers for. */
  get playbook() { return this.#playbook; }

  /** A deal's evaluation at `at`, as `actor` sees its moves when given. */
  evaluate(deal, at, actor) {
    const who = actorText(actor);
    const text = dealText(deal);
    const time = timeText(at);
    return call(() => this.#contract.evaluate(text, time, who));
  }

  /** A deal's scorecards at `at`. */
  score(deal, at) {
    const text = dealText(deal);
    const time = timeText(at);
    return call(() => this.#contract.score(text, time));
  }

  /** Moves a deal to `to`: `{from, force, actor, at}`; answers `{deal, effects}`. */
  apply(deal, to, options = {}) {
    const known = new Set(['from', 'force', 'actor', 'at']);
    for (const key of Object.keys(options)) {
      if (!known.has(key)) throw requestError(`apply: unknown option \`${key}\`; expected from, force, actor, at`);
    }
    const { from, force, actor, at } = options;
    const request = { deal: null, to };
    if (from !== undefined) request.from = from;
    if (force !== undefined) request.force = force;
    if (actor !== undefined) request.actor = actorObject(actor);
    request.at = timeText(at);
    return call(() => this.#contract.apply(withDeal(request, deal)));
  }

  /** Gives an approval of `criterion` by `actor`; answers the deal holding it. */
  approve(deal, criterion, actor, at) {
    const request = { deal: null, criterion, actor: actorObject(actor), at: timeText(at) };
    return call(() => this.#contract.approve(withDeal(request, deal)));
  }

  /**
   * Opens a deal in a start stage, owned by the actor unless it names another owner: `{actor,
   * at}`; answers the deal with its creation entry.
   */
  create(deal, options = {}) {
    return this.#change('create', deal, {}, options);
  }

  /** Imports a deal as it stands elsewhere: `{actor, at}`; every entry marked imported by the actor. */
  importDeal(deal, options = {}) {
    return this.#change('importDeal', deal, {}, options);
  }

  /**
   * Changes a deal's fields, activities and owner (`{fields, activities, owner}`; `null` removes
   * a field or unticks an activity): `{actor, at}`; answers `{deal, voided}`.
   */
  edit(deal, changes, options = {}) {
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
      throw requestError('edit: changes: expected {fields, activities, owner}');
    }
    return this.#change('edit', deal, { changes }, options);
  }

  /** Archives a deal for `reason`: `{actor, at}`; answers the archived deal. */
  archive(deal, reason, options = {}) {
    return this.#change('archive', deal, { reason }, options);
  }

  /** Brings an archived deal back: `{actor, at}`; answers the deal. */
  unarchive(deal, options = {}) {
    return this.#change('unarchive', deal, {}, options);
  }

  /**
   * Asks the approving role for an approval of `criterion`: `{actor, at, note}`; answers `{deal,
   * effects}`, the deal with the request in its history and the notify to the role. Asking
   * again is a reminder, recorded again.
   */
  requestApproval(deal, criterion, options = {}) {
    return this.#change('requestApproval', deal, { criterion }, options, ['note']);
  }

  /**
   * A change that is no move, through the contract's call `name`; `extra` names the options it
   * takes beside `actor` and `at`, copied into the request when given.
   */
  #change(name, deal, fields, options, extra = []) {
    const takes = ['actor', 'at', ...extra];
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw requestError(`${name}: options: expected {${takes.join(', ')}}`);
    }
    for (const key of Object.keys(options)) {
      if (!takes.includes(key)) {
        throw requestError(`${name}: unknown option \`${key}\`; expected ${takes.join(', ')}`);
      }
    }
    const request = { deal: null, ...fields };
    for (const key of extra) {
      if (options[key] !== undefined && options[key] !== null) request[key] = options[key];
    }
    if (options.actor !== undefined && options.actor !== null) request.actor = actorObject(options.actor);
    request.at = timeText(options.at);
    return call(() => this.#contract[name](withDeal(request, deal)));
  }

  /**
   * Evaluates many deals at one time: an array in the deals' order, each the evaluation or the
   * StagegateError of that deal (a deal without an id is named by its position, `#3`). An
   * unreadable time or actor throws. In Node, a batch of more than 2,048 deals is spread over
   * `threads` threads (every core without a number; 1 for this thread alone), each its own
   * instance of the engine; elsewhere it runs on this thread.
   */
  evaluateMany(deals, at, actor, options = {}) {
    const request = { kind: 'evaluate', at: timeText(at), actor: actorText(actor) };
    return this.#batch(deals, request, options);
  }

  /** Scores many deals at one time, as evaluateMany. */
  scoreMany(deals, at, options = {}) {
    return this.#batch(deals, { kind: 'score', at: timeText(at) }, options);
  }

  /**
   * evaluateMany, each answer left as its JSON text: a line of `eval --format jsonl`, byte for
   * byte; a deal's error as its error object's text (it starts with `{"error":`). For answers
   * written out (a file, a response) without building objects, which costs more than the
   * evaluation itself.
   */
  evaluateManyJson(deals, at, actor, options = {}) {
    const request = { kind: 'evaluate', at: timeText(at), actor: actorText(actor), lines: true };
    return this.#batch(deals, request, options);
  }

  /** scoreMany, each answer left as its JSON text: a line of `score --format jsonl`. */
  scoreManyJson(deals, at, options = {}) {
    return this.#batch(deals, { kind: 'score', at: timeText(at), lines: true }, options);
  }

  /** The playbook as a page shows it (`playbook.outline`), in this engine's language. */
  outline() {
    return call(() => this.#contract.outline(undefined));
  }

  /** The playbook's own test cases (cases without `at` run at `at`), as `test --format json`. */
  runTests(at) {
    const time = timeText(at);
    return call(() => this.#contract.runTests(time));
  }

  /**
   * The playbook as a Mermaid (default) or DOT diagram; with `{deal, at}`, the deal's active
   * stages highlighted and its blocked moves marked.
   */
  diagram(format = 'mermaid', options = {}) {
    if (format !== null && typeof format === 'object') {
      // diagram({deal, at}): the options without a format.
      options = format;
      format = 'mermaid';
    }
    const { deal, at } = options;
    const text = deal === undefined || deal === null ? undefined : dealText(deal);
    const time = at === undefined || at === null ? undefined : timeText(at);
    return contractCall(() => this.#contract.diagram(String(format), text, time));
  }

  /**
   * The deal, pinned to `older` (a Playbook of an earlier version of this one), carried to this
   * version by its `migrations:`; `actor` is recorded as `by`.
   */
  migrate(deal, older, options = {}) {
    if (!(older instanceof Playbook)) throw requestError('migrate: `older` must be a Playbook');
    const { at, actor } = options;
    const text = dealText(deal);
    const time = timeText(at);
    return call(() => this.#contract.migrate(older._contract, text, time, actorText(actor)));
  }

  /**
   * What changes for the deal between `older` (a Playbook: another version, or the playbook as
   * it was) and this engine's playbook at `at`, as a line of `impact --format jsonl`: moves newly
   * blocked or allowed, blocked for other reasons, added or removed, scores changed, the deal
   * taken by one version only. Throws DealError when neither version takes the deal.
   */
  impact(deal, older, options = {}) {
    if (!(older instanceof Playbook)) throw requestError('impact: `older` must be a Playbook');
    const text = dealText(deal);
    const time = timeText(options.at);
    return call(() => this.#contract.impact(older._contract, text, time));
  }

  /**
   * Pipeline metrics over a book of deals, as `metrics --format json [--by]` gives them. A deal
   * that does not fit the playbook is an anomaly; one that cannot be read throws DealError.
   */
  metrics(deals, at, options = {}) {
    return this.metricsFinish(this.metricsPartial(deals, at, options));
  }

  /**
   * The mergeable metrics partial of some deals of a book, as JSON text; `firstIndex` is the
   * 0-based position in the whole book of the first deal given.
   */
  metricsPartial(deals, at, options = {}) {
    const { by, firstIndex = 0 } = options;
    if (!Number.isSafeInteger(firstIndex) || firstIndex < 0) {
      throw requestError(`firstIndex: expected a whole number, 0 or more, got ${firstIndex}`);
    }
    // One deal per line: a raw line break can only be whitespace in JSON, never inside a string.
    const lines = Array.from(deals, (deal) => dealText(deal).replace(/[\r\n]/g, ' ')).join('\n');
    const time = timeText(at);
    return contractCall(() => this.#contract.metricsPartial(lines, time, by ?? undefined, BigInt(firstIndex)));
  }

  /** Partials (JSON texts) merged into one; refuses a deal held twice. */
  metricsMerge(partials) {
    const array = `[${Array.from(partials).join(',')}]`;
    return contractCall(() => this.#contract.metricsMerge(array));
  }

  /** A partial holding every deal of the book finished into its metrics. */
  metricsFinish(partial) {
    return call(() => this.#contract.metricsFinish(partial));
  }

  /** Stops the worker threads of this engine's batches, if any (they never keep Node alive). */
  close() {
    this.#pool?.close();
    this.#pool = null;
  }

  /**
   * Every deal answered for `request`, in parts: objects, error objects as Errors in place; or
   * with `request.lines`, each answer's JSON text.
   */
  #batch(deals, request, options) {
    if (deals === null || typeof deals !== 'object' || typeof deals[Symbol.iterator] !== 'function') {
      throw requestError(`deals: expected an array (or another iterable) of deals, got ${deals === null ? 'null' : typeof deals}`);
    }
    const threads = threadCount(options);
    const parts = partsOf(Array.from(deals));
    // A part's answers parsed as soon as they come, while workers answer the next parts.
    const take = (result) => {
      const { answer } = result;
      if (answer === undefined) return result;
      if (!request.lines) return { answers: JSON.parse(answer) };
      return { answers: answer === '' ? [] : answer.split('\n') };
    };
    const here = (part) => {
      try {
        return take({ answer: answerPart(this.#contract, request, part.first, payloadOf(part.deals)) });
      } catch (e) {
        if (typeof e === 'string') return { refused: e };
        throw e;
      }
    };
    const pool = parts.length > 1 && threads > 1 ? this.#workers(threads - 1) : null;
    const results = pool === null ? parts.map(here) : pool.run(parts, request, threads - 1, here, take);
    const answers = [];
    for (const [index, result] of results.entries()) {
      // A worker that failed on a part (not a refusal): the part is answered here instead.
      const { answers: found, refused } = result.failed === undefined ? result : here(parts[index]);
      if (refused !== undefined) throw toError(refused);
      for (const answer of found) {
        // Every error object has an `error` key, and no answer has one (docs/json.md).
        answers.push(typeof answer?.error === 'string' ? errorOf(answer) : answer);
      }
    }
    return answers;
  }

  /** The engine's worker pool, of `size` workers (made at its first batch). */
  #workers(size) {
    if (workers === null) return null;
    if (this.#pool === null || this.#pool.size < size) {
      this.#pool?.close();
      const lang = this.#contract.language();
      this.#pool = new workers.Pool(wasmModule, this.#playbook.yaml, this.#playbook.name, lang, size);
    }
    return this.#pool;
  }
}

/** The threads a batch may use: `options.threads`, or every core. */
function threadCount(options) {
  if (options === null || typeof options !== 'object') throw requestError('batch options: expected an object such as {threads: 4}');
  const { threads } = options;
  if (threads === undefined || threads === null) return workers === null ? 1 : workers.cores();
  if (!Number.isInteger(threads) || threads < 1) throw requestError(`threads: expected a whole number of 1 or more, got ${String(threads)}`);
  return threads;
}

/**
 * A request's JSON text with the deal in it as written, so that integers beyond 2^53 keep their
 * digits. The text must be one JSON object and nothing else: text such as `{...},"force":"x"`
 * would otherwise add keys to the request (a forced move, another actor) and is a DealError.
 */
function withDeal(request, deal) {
  const text = dealText(deal);
  if (typeof deal === 'string') {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw unreadableDeal(`the deal is not JSON: ${e.message}`, `not JSON: ${e.message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      const found = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed;
      throw unreadableDeal(`a deal is a JSON object, not ${found}`, `expected a JSON object, got ${found}`);
    }
  }
  return JSON.stringify(request).replace('"deal":null', () => `"deal":${text}`);
}
