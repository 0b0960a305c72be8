// The playbook's diagram: the engine's Mermaid text rendered by mermaid, kept (greyed) while the
// playbook does not load. Readable first: the moves out to the lost and churned stages (exits)
// are folded out of the drawing into a legend under it, so the main path reads first; at 100 %
// no text is smaller than 11 px (the drawing is scaled up and the panel scrolls, never shrunk);
// buttons and Ctrl + wheel zoom, dragging pans.
import mermaid from 'mermaid';
import { w } from './words.js';

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
let drawn = 0;

/** The smallest text, in CSS pixels, the diagram shows at 100 %. */
export const SMALLEST_TEXT = 11;
const STEP = 1.25;
const LEAST = 0.25;
const MOST = 4;

/** The zoom (1 = 100 %) kept across redraws, and the drawing's size at 100 %. */
const view = { zoom: 1, width: 0, height: 0 };

/**
 * The Mermaid text with its exits folded out: `{text, exits}` where `exits` lists, per lost or
 * churned stage (drawn `class <id> terminal`), its title and the titles of the stages that move
 * to it. A terminal stage left with no move is left out of the drawing too.
 */
export function foldExits(text) {
  const lines = text.split('\n');
  const titles = new Map();
  const terminal = new Set();
  for (const line of lines) {
    const state = line.match(/^\s*state "(.*)" as (\S+)\s*$/);
    if (state) titles.set(state[2], state[1].replace(/\s*[✕★]$/, ''));
    const mark = line.match(/^\s*class (\S+) terminal\s*$/);
    if (mark) terminal.add(mark[1]);
  }
  const exits = new Map();
  const kept = [];
  for (const line of lines) {
    const edge = line.match(/^\s*(\S+) --> (\S+)(?:\s*:.*)?$/);
    if (edge && terminal.has(edge[2]) && edge[1] !== '[*]') {
      if (!exits.has(edge[2])) exits.set(edge[2], []);
      exits.get(edge[2]).push(titles.get(edge[1]) ?? edge[1]);
      continue;
    }
    kept.push(line);
  }
  // A folded terminal stage still in a move (a way back out of it) stays drawn.
  const stillMoving = new Set();
  for (const line of kept) {
    const edge = line.match(/^\s*(\S+) --> (\S+)/);
    if (edge) { stillMoving.add(edge[1]); stillMoving.add(edge[2]); }
  }
  const gone = [...exits.keys()].filter((id) => !stillMoving.has(id));
  const drawnText = kept.filter((line) => !gone.some((id) => new RegExp(`^\\s*(state ".*" as ${id}|class ${id} terminal)\\s*$`).test(line)));
  return {
    text: drawnText.join('\n'),
    exits: [...exits.entries()].map(([id, froms]) => ({ to: titles.get(id) ?? id, from: froms })),
  };
}

/** Draws `text` (Mermaid) into `element`, its exits in `legend`; the last drawing stays, greyed, when it fails. */
export async function drawDiagram(element, text, legend) {
  drawn += 1;
  const id = `stagegate-diagram-${drawn}`;
  const folded = foldExits(text);
  try {
    const { svg } = await mermaid.render(id, folded.text);
    element.innerHTML = svg;
    element.classList.remove('stale');
    element.removeAttribute('title');
    fitReadable(element);
    showExits(legend, folded.exits);
  } catch (e) {
    element.classList.add('stale');
    element.title = `the diagram could not be drawn: ${e?.message ?? e}`;
  }
}

/** Lists the folded exits under the drawing, one line per lost or churned stage. */
function showExits(legend, exits) {
  legend.replaceChildren(...exits.map((exit) => {
    const item = document.createElement('li');
    item.textContent = w('exits', exit.to, exit.from.join(', '));
    return item;
  }));
  legend.hidden = exits.length === 0;
}

/**
 * Sizes the drawing so that at 100 % its smallest text is at least SMALLEST_TEXT px: mermaid's
 * own size (one unit a pixel) when that is enough, else scaled up; the panel scrolls.
 */
function fitReadable(element) {
  const svg = element.querySelector('svg');
  if (!svg) return;
  const box = svg.viewBox?.baseVal;
  const width = box?.width || svg.getBBox().width;
  const height = box?.height || svg.getBBox().height;
  svg.style.maxWidth = 'none';
  svg.removeAttribute('width');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const smallest = smallestText(svg);
  const grow = smallest > 0 && smallest < SMALLEST_TEXT ? SMALLEST_TEXT / smallest : 1;
  view.width = width * grow;
  view.height = height * grow;
  applyZoom(element);
}

/** The smallest font size, in CSS pixels as drawn, of the texts of `svg`. */
export function smallestText(svg) {
  const box = svg.viewBox?.baseVal;
  const scale = box?.width ? svg.getBoundingClientRect().width / box.width : 1;
  let smallest = Infinity;
  for (const node of svg.querySelectorAll('text, tspan, span, div, p')) {
    const own = [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent.trim() !== '');
    if (!own) continue;
    const size = parseFloat(getComputedStyle(node).fontSize) * scale;
    if (size > 0 && size < smallest) smallest = size;
  }
  return smallest === Infinity ? 0 : smallest;
}

/** Draws the drawing at the kept zoom, and says the zoom in `#zoom-level`. */
function applyZoom(element) {
  const svg = element.querySelector('svg');
  if (!svg || view.width === 0) return;
  svg.setAttribute('width', String(Math.round(view.width * view.zoom)));
  svg.setAttribute('height', String(Math.round(view.height * view.zoom)));
  const level = document.getElementById('zoom-level');
  if (level) level.textContent = `${Math.round(view.zoom * 100)} %`;
}

/**
 * Zooms the drawing in `element` to `zoom` (1 = 100 %), keeping the point at (`x`, `y`) of the
 * panel (its centre by default) where it was.
 */
export function zoomTo(element, zoom, x = element.clientWidth / 2, y = element.clientHeight / 2) {
  const next = Math.min(MOST, Math.max(LEAST, zoom));
  const ratio = next / view.zoom;
  const left = (element.scrollLeft + x) * ratio - x;
  const top = (element.scrollTop + y) * ratio - y;
  view.zoom = next;
  applyZoom(element);
  element.scrollLeft = left;
  element.scrollTop = top;
}

/** Wires the zoom buttons (`#zoom-in`, `#zoom-out`, `#zoom-reset`), Ctrl + wheel and dragging to `element`. */
export function zoomAndPan(element) {
  document.getElementById('zoom-in')?.addEventListener('click', () => zoomTo(element, view.zoom * STEP));
  document.getElementById('zoom-out')?.addEventListener('click', () => zoomTo(element, view.zoom / STEP));
  document.getElementById('zoom-reset')?.addEventListener('click', () => zoomTo(element, 1));
  element.addEventListener('wheel', (event) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    const rect = element.getBoundingClientRect();
    zoomTo(element, view.zoom * (event.deltaY < 0 ? STEP : 1 / STEP), event.clientX - rect.left, event.clientY - rect.top);
  }, { passive: false });
  element.addEventListener('keydown', (event) => {
    if (event.key === '+' || event.key === '=') zoomTo(element, view.zoom * STEP);
    else if (event.key === '-') zoomTo(element, view.zoom / STEP);
    else if (event.key === '0') zoomTo(element, 1);
  });
  let drag = null;
  element.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, left: element.scrollLeft, top: element.scrollTop };
    element.setPointerCapture(event.pointerId);
    element.classList.add('dragging');
  });
  element.addEventListener('pointermove', (event) => {
    if (drag === null) return;
    element.scrollLeft = drag.left - (event.clientX - drag.x);
    element.scrollTop = drag.top - (event.clientY - drag.y);
  });
  const stop = () => {
    drag = null;
    element.classList.remove('dragging');
  };
  element.addEventListener('pointerup', stop);
  element.addEventListener('pointercancel', stop);
}

/** Greys the last drawing: it is of a playbook that no longer loads. */
export function staleDiagram(element) {
  element.classList.add('stale');
}
