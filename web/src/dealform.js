// The sandbox's deal as a form made from the playbook's fields. A change is written into the
// deal's text in place (its comments and the rest of it kept), so the text stays the deal.
import { parse, parseDocument } from 'yaml';
import { fieldChanged, fieldInput, fieldValue } from './fields.js';

/** A text of the playbook (a string or one per language) in `lang`, else its first. */
function textIn(text, lang) {
  if (typeof text === 'string') return text;
  if (text && typeof text === 'object') return text[lang] ?? Object.values(text).find((v) => typeof v === 'string');
  return undefined;
}

/** The playbook's fields ({id, type, values, title}) from its YAML read as data (`tree`, null
 * when it does not parse), titles in `lang`. */
export function playbookFields(tree, lang) {
  const fields = tree?.fields;
  const list = Array.isArray(fields)
    ? fields
    : Object.entries(fields ?? {}).map(([id, field]) => ({ id, ...(field ?? {}) }));
  return list
    .filter((field) => field && typeof field.id === 'string')
    .map((field) => ({ id: field.id, type: field.type ?? 'text', values: field.values ?? [], title: textIn(field.title, lang) ?? field.id }));
}

/**
 * Draws the form of `fields` for the deal `text` into `form`; `changed(text)` gets the deal's
 * text with the field changed. A deal text that is not YAML or JSON gets a note instead.
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
  const parts = [];
  const problem = note('');
  problem.setAttribute('role', 'alert');
  for (const field of fields) {
    const input = fieldInput(field, deal.fields?.[field.id], words);
    const label = document.createElement('label');
    label.textContent = field.title;
    label.htmlFor = input.id;
    input.addEventListener('change', () => {
      // A number the browser cannot read holds '' (which would remove the field): not written.
      if (input.validity && !input.validity.valid) {
        problem.textContent = words.notSaved(field.title, input.validationMessage);
        return;
      }
      problem.textContent = '';
      if (!fieldChanged(input)) return;
      const document_ = parseDocument(text);
      const value = fieldValue(field, input.value);
      if (value === null) document_.deleteIn(['fields', field.id]);
      else document_.setIn(['fields', field.id], value);
      text = document_.toString();
      input.dataset.was = input.value;
      changed(text);
    });
    parts.push(label, input);
  }
  form.replaceChildren(problem, ...parts);
}

function note(message) {
  const p = document.createElement('p');
  p.className = 'problem';
  p.textContent = message;
  return p;
}
