// The playbook's diagram: the engine's Mermaid text rendered by mermaid, kept (greyed) while the
// playbook does not load.
import mermaid from 'mermaid';

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
let drawn = 0;

/** Draws `text` (Mermaid) into `element`; the last drawing stays, greyed, when it fails. */
export async function drawDiagram(element, text) {
  drawn += 1;
  const id = `stagegate-diagram-${drawn}`;
  try {
    const { svg } = await mermaid.render(id, text);
    element.innerHTML = svg;
    element.classList.remove('stale');
  } catch (e) {
    element.classList.add('stale');
    element.title = `the diagram could not be drawn: ${e?.message ?? e}`;
  }
}

/** Greys the last drawing: it is of a playbook that no longer loads. */
export function staleDiagram(element) {
  element.classList.add('stale');
}
