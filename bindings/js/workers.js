// Worker threads for batches (Node only): a batch stays one synchronous call, its parts answered
// by this thread and by workers at once, each worker an instance of the same compiled
// WebAssembly with the playbook loaded. The main thread hands out parts, answers one itself
// whenever no worker's answer is waiting, takes back any part a worker has not begun, and sleeps
// on a shared counter (Atomics.wait) only while every part left is being answered by a worker.
import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { availableParallelism, cpus } from 'node:os';
import { payloadOf } from './parts.js';

/** The threads a batch uses when not told: the cores Node may use. */
export function cores() {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}

/** Parts a worker holds at once: one it answers, one waiting so that it never idles. */
const AHEAD = 2;

/** A worker silent this long on a part it began is taken as lost; the part is answered here. */
const LOST_AFTER_MS = 30_000;

const workerUrl = new URL('./worker.js', import.meta.url);

/** Worker threads answering the parts of batches under one playbook and language. */
export class Pool {
  #workers;
  #arrived;
  #batch = 0;

  /** `size` workers, each instantiating `module` and loading `yaml` (named `name`) in `lang`. */
  constructor(module, yaml, name, lang, size) {
    const signal = new SharedArrayBuffer(4);
    this.#arrived = new Int32Array(signal);
    this.#workers = Array.from({ length: size }, () => {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(workerUrl, {
        workerData: { module, yaml, name, lang, signal, port: port2 },
        transferList: [port2],
      });
      // Idle workers do not keep the process alive.
      worker.unref();
      port1.unref();
      const entry = { worker, port: port1, pending: new Set(), lost: false };
      // A worker that fails or ends is given no more parts (those it held are taken back).
      const lose = () => {
        entry.lost = true;
      };
      worker.on('error', lose);
      worker.on('exit', lose);
      return entry;
    });
  }

  /** The workers still answering. */
  get size() {
    return this.#workers.filter((w) => !w.lost).length;
  }

  /** Stops every worker. */
  close() {
    for (const w of this.#workers) {
      w.lost = true;
      void w.worker.terminate();
    }
  }

  /**
   * Every part answered, in order, by this thread and `size` workers at most. A worker answers
   * `{ answer }` (a JSON array text), `{ refused }` (an error object's text) or `{ failed }`,
   * which `take` turns into the part's result as it arrives; `here(part)` gives a part's result
   * on this thread.
   */
  run(parts, request, size, here, take) {
    const batch = ++this.#batch;
    const active = new Set(this.#workers.filter((w) => !w.lost).slice(0, size));
    const results = new Array(parts.length);
    const claims = new SharedArrayBuffer(4 * parts.length);
    const claimed = new Int32Array(claims);
    let next = 0;
    let done = 0;
    const settle = (index, result) => {
      if (results[index] === undefined) {
        results[index] = result;
        done += 1;
      }
    };
    const answerHere = (index) => {
      settle(index, here(parts[index]));
    };
    const give = (w) => {
      while (active.has(w) && !w.lost && next < parts.length && w.pending.size < AHEAD) {
        const index = next;
        next += 1;
        const payload = payloadOf(parts[index].deals);
        const message = { batch, part: index, first: parts[index].first, payload, request, claims };
        // The part's bytes move to the worker, not copied.
        w.port.postMessage(message, payload.bytes === undefined ? [] : [payload.bytes.buffer]);
        w.pending.add(index);
      }
    };
    for (const w of this.#workers) {
      w.pending.clear();
      give(w);
    }
    let progress = Date.now();
    while (done < parts.length) {
      const seen = Atomics.load(this.#arrived, 0);
      if (this.#receive(batch, settle, give, take)) {
        progress = Date.now();
        continue;
      }
      if (next < parts.length) {
        const index = next;
        next += 1;
        Atomics.store(claimed, index, 2);
        answerHere(index);
        continue;
      }
      const untouched = this.#untouched(claimed, results);
      if (untouched !== undefined) {
        answerHere(untouched);
        continue;
      }
      if (Date.now() - progress > LOST_AFTER_MS) {
        this.#giveUp(results, answerHere);
        continue;
      }
      Atomics.wait(this.#arrived, 0, seen, 100);
    }
    return results;
  }

  /** Every answer waiting from the workers taken in; true when one was this batch's. */
  #receive(batch, settle, give, take) {
    let got = false;
    for (const w of this.#workers) {
      for (let message = receiveMessageOnPort(w.port); message; message = receiveMessageOnPort(w.port)) {
        const result = message.message;
        if (result.batch !== batch) continue;
        w.pending.delete(result.part);
        // The worker's next part first, then this one's answers parsed while it works.
        give(w);
        if (!result.skipped) {
          settle(result.part, take(result));
          got = true;
        }
      }
    }
    return got;
  }

  /** A part handed to a worker that has not begun it, taken back for this thread. */
  #untouched(claimed, results) {
    for (const w of this.#workers) {
      for (const index of w.pending) {
        if (results[index] === undefined && Atomics.compareExchange(claimed, index, 0, 2) === 0) {
          w.pending.delete(index);
          return index;
        }
      }
    }
    return undefined;
  }

  /** Workers silent too long are lost: their parts are answered here. */
  #giveUp(results, answerHere) {
    for (const w of this.#workers) {
      if (w.pending.size === 0) continue;
      w.lost = true;
      void w.worker.terminate();
      for (const index of w.pending) {
        if (results[index] === undefined) answerHere(index);
      }
      w.pending.clear();
    }
  }
}
