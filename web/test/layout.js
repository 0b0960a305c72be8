// Checks of what a person sees, by the boxes the browser laid out.

/**
 * Every label of the form at `selector` that does not sit on its input's row: `{label, why}` for
 * a label whose box does not overlap its input's box from top to bottom, or that does not stand
 * left of it. Answers the number of labels checked too.
 */
export async function labelsOffTheirInputs(page, selector) {
  return page.evaluate((selector) => {
    const labels = [...document.querySelectorAll(`${selector} label`)];
    const off = [];
    for (const label of labels) {
      const input = document.getElementById(label.htmlFor);
      if (input === null) {
        off.push({ label: label.textContent, why: 'no input' });
        continue;
      }
      const a = label.getBoundingClientRect();
      const b = input.getBoundingClientRect();
      if (a.height === 0 || b.height === 0) off.push({ label: label.textContent, why: 'not shown' });
      else if (!(a.top < b.bottom && b.top < a.bottom)) off.push({ label: label.textContent, why: `label ${a.top}–${a.bottom}, input ${b.top}–${b.bottom}` });
      else if (a.right > b.left) off.push({ label: label.textContent, why: 'not left of its input' });
    }
    return { checked: labels.length, off };
  }, selector);
}
