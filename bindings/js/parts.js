// A batch in parts: the deals cross into WebAssembly a part at a time, on this thread or a worker.
//
// Parts, not one call for the whole batch: V8 runs a WebAssembly function in its baseline
// compilation until the function is called again after its optimized code is ready, so one call
// for 92,400 deals ran three times slower than the same deals in parts. A part's deals cross as
// one UTF-8 text, not one string per deal (wasm-bindgen copies bytes at once but a string's
// ASCII a character at a time): objects as one JSON array (one JSON.stringify for the part, half
// the time of one per deal), texts each ended by U+001E (no JSON text holds that character raw).

/** Deals per call into WebAssembly. */
export const PART = 2048;

const END = '\u001e';
const utf8 = new TextEncoder();

/**
 * The parts of a batch, each `{ first, deals }` with `first` the index of its first deal in the
 * batch. An empty batch is one empty part, so that its time and actor are still read.
 */
export function partsOf(deals) {
  const parts = [];
  for (let first = 0; first === 0 || first < deals.length; first += PART) {
    parts.push({ first, deals: deals.slice(first, first + PART) });
  }
  return parts;
}

/**
 * A part's deals as they cross into WebAssembly: `{ bytes, array }` (a JSON array of them, or
 * their texts each ended by U+001E), or `{ texts }` when a text holds U+001E (it is not JSON, and
 * goes alone to be answered with its own error). A deal that is neither text nor an object goes
 * as its JSON (`null`, `42`, `[...]`), to be answered with its own DealError in its place.
 */
export function payloadOf(deals) {
  if (!deals.some((deal) => typeof deal === 'string')) {
    return { bytes: utf8.encode(JSON.stringify(deals)), array: true };
  }
  const texts = deals.map((deal) => (typeof deal === 'string' ? deal : JSON.stringify(deal) ?? 'null'));
  if (texts.some((text) => text.includes(END))) return { texts };
  return { bytes: utf8.encode(texts.map((text) => text + END).join('')), array: false };
}

/**
 * One part's answers from a WebAssembly contract: a JSON array text, or with `request.lines`
 * one JSON text per line, each a deal's answer or its error object; a refused request (an
 * unreadable time) thrown as its JSON text. `request` is `{ kind: 'evaluate' | 'score', at,
 * actor, lines }`; `first` is the index in the batch of the part's first deal.
 */
export function answerPart(contract, request, first, payload) {
  const { at, actor, lines } = request;
  const { bytes, array, texts } = payload;
  if (request.kind === 'score') {
    return texts === undefined
      ? contract.scoreManyText(bytes, array, first, at, lines)
      : contract.scoreMany(texts, first, at, lines);
  }
  return texts === undefined
    ? contract.evaluateManyText(bytes, array, first, at, actor, lines)
    : contract.evaluateMany(texts, first, at, actor, lines);
}
