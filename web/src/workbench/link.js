// A link that reproduces what the workbench shows: the playbook (left out when it is the bundled
// one), the deal, the times and the language, compressed into the link's fragment (`#v1=`), which
// browsers never send to a server.

const PREFIX = '#v1=';

async function through(stream, bytes) {
  const piped = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

function base64url(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function unbase64url(text) {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The link to this page holding `view` ({yaml?, deal, lang, dealAt, testsAt}). */
export async function linkTo(view) {
  const packed = await through(new CompressionStream('deflate-raw'), new TextEncoder().encode(JSON.stringify(view)));
  return `${location.origin}${location.pathname}${location.search}${PREFIX}${base64url(packed)}`;
}

/** The view a link's fragment holds; null without one; an Error naming what is wrong with it. */
export async function viewOf(hash) {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const bytes = await through(new DecompressionStream('deflate-raw'), unbase64url(hash.slice(PREFIX.length)));
    const view = JSON.parse(new TextDecoder().decode(bytes));
    if (view === null || typeof view !== 'object') throw new Error('not a view');
    return view;
  } catch (e) {
    void e;
    return new Error('This link\'s view cannot be read: it was probably cut short when it was copied or sent. The page opens as this browser left it.');
  }
}
