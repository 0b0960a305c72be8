// Checks of what a person sees, by the boxes the browser laid out.

/**
 * Every label of the form at `selector` that does not sit on its input's row: `{label, why}` for
 * a label whose middle does not lie within its input's height, or that does not stand left of
 * it. Answers the number of labels checked too.
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
      // On the input's row: the label's middle within the input's height (a label merely touching
      // the row above or below, as a form shifted by one row does with its wrapped labels, is off).
      else if (!(b.top <= (a.top + a.bottom) / 2 && (a.top + a.bottom) / 2 <= b.bottom)) off.push({ label: label.textContent, why: `label ${a.top}–${a.bottom}, input ${b.top}–${b.bottom}` });
      else if (a.right > b.left) off.push({ label: label.textContent, why: 'not left of its input' });
    }
    return { checked: labels.length, off };
  }, selector);
}
