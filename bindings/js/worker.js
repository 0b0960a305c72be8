// A worker thread of a batch (Node): its own instance of the engine's WebAssembly, the playbook
// loaded once, answering the parts of batches the main thread posts to it.
import { workerData } from 'node:worker_threads';
import { initSync, Contract } from './pkg/stagegate_wasm.js';
import { answerPart } from './parts.js';

const { module, yaml, name, lang, signal, port } = workerData;
const arrived = new Int32Array(signal);
initSync({ module });
const contract = Contract.load(yaml, name, lang);

port.on('message', ({ batch, part, first, payload, request, claims }) => {
  let message;
  // The main thread may have taken the part meanwhile: each part is answered once.
  if (Atomics.compareExchange(new Int32Array(claims), part, 0, 1) !== 0) {
    message = { batch, part, skipped: true };
  } else {
    try {
      message = { batch, part, answer: answerPart(contract, request, first, payload) };
    } catch (e) {
      message = typeof e === 'string'
        ? { batch, part, refused: e }
        : { batch, part, failed: String(e?.stack ?? e) };
    }
  }
  port.postMessage(message);
  Atomics.add(arrived, 0, 1);
  Atomics.notify(arrived, 0);
});
