// The sandbox's deal as a form made from the playbook's outline (the engine's, never the YAML):
// a row per field, its label beside its input. A change is written into the deal's text in
// place (its comments and the rest of it kept), so the text stays the deal.
import { parse, parseDocument } from 'yaml';
import { fieldChanged, fieldRow, fieldValue } from '../shared/fields.js';

/**
 * Draws the form of `fields` (the outline's) for the deal `text` into `form`; `changed(text)`
 * gets the deal's text with the field changed. A deal text that is not YAML or JSON gets a note
 * instead.
 */
export function drawDealForm(form, fields, text, words, changed) {
  let deal;
  try {
    deal = parse(text);
  } catch (e) {
    form.replaceChildren(note(`${words.notParsed} ${e.message.split('\n')[0]}`));
    return;
  }
  if (deal === null || typeof deal !== 'object' || Array.isArray(deal)) {
    form.replaceChildren(note(words.notParsed));
    return;
  }
  const made = fields.map((field) => ({ field, ...fieldRow(field, deal.fields?.[field.id], words) }));
  const problem = note('');
  problem.setAttribute('role', 'alert');
  for (const { field, input } of made) {
    input.addEventListener('change', () => {
      // A number the browser cannot read holds '' (which would remove the field): not written,
      // and said for as long as any input holds one.
      const unread = made.find((m) => m.input.validity && !m.input.validity.valid);
      problem.textContent = unread ? words.notSaved(unread.field.title, unread.input.validationMessage) : '';
      if ((input.validity && !input.validity.valid) || !fieldChanged(input)) return;
      const document_ = parseDocument(text);
      const value = fieldValue(field, input.value);
      if (value === null) document_.deleteIn(['fields', field.id]);
      else document_.setIn(['fields', field.id], value);
      text = document_.toString();
      input.dataset.was = input.value;
      changed(text);
    });
  }
  form.replaceChildren(problem, ...made.map((m) => m.row));
}

function note(message) {
  const p = document.createElement('p');
  p.className = 'problem';
  p.textContent = message;
  return p;
}
