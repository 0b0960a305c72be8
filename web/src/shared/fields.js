// A field of the playbook's outline (the engine's `outline`: {id, type, title, values, list}) as
// a row of a form, shared by the board's deal and the workbench's sandbox: its label and its
// input on one row; enum values as a list, yes/no for bool, a date picker for dates, one line per
// item for lists. A value an input cannot show exactly (a date-time, a list's item holding a line
// break) is shown as text, never cut.
import { element } from './dom.js';

const plainDate = /^\d{4}-\d{2}-\d{2}$/;

/** A field's value as its input shows it. */
function shown(field, value) {
  if (value === undefined || value === null) return '';
  if (field.list) return Array.isArray(value) ? value.join('\n') : String(value);
  return String(value);
}

/** The choices of a list input: [value, label] pairs. */
function choices(field, words) {
  return field.type === 'bool'
    ? [['true', words.yes], ['false', words.no]]
    : field.values.map((choice) => [choice.id, choice.title]);
}

/**
 * The input for `field` holding `value`; `words` gives the labels of the empty choice and of yes
 * and no ({unset, yes, no, listHelp}).
 */
export function fieldInput(field, value, words) {
  let made;
  const absent = value === undefined || value === null;
  if ((field.type === 'enum' || field.type === 'bool') && (absent || choices(field, words).some(([v]) => v === String(value)))) {
    made = document.createElement('select');
    for (const [optionValue, label] of [['', words.unset], ...choices(field, words)]) {
      const option = document.createElement('option');
      option.value = optionValue;
      option.textContent = label;
      made.append(option);
    }
  } else if (field.list && (absent || (Array.isArray(value) && value.every((item) => typeof item === 'string' && !item.includes('\n'))))) {
    made = document.createElement('textarea');
    made.rows = 2;
    made.title = words.listHelp;
  } else {
    made = document.createElement('input');
    const date = field.type === 'date' && (absent || plainDate.test(String(value)));
    made.type = { integer: 'number', number: 'number' }[field.type] ?? (date ? 'date' : 'text');
    if (field.type === 'integer') made.step = '1';
    if (field.type === 'number') made.step = 'any';
  }
  made.id = `field-${field.id}`;
  made.name = field.id;
  made.value = shown(field, value);
  made.dataset.was = made.value;
  return made;
}

/**
 * One row of a deal's form: `field`'s label and its input holding `value`, side by side.
 * Answers `{row, input}`.
 */
export function fieldRow(field, value, words) {
  const input = fieldInput(field, value, words);
  const label = element('label', '', field.title);
  label.htmlFor = input.id;
  const row = element('div', 'field-row');
  row.dataset.field = field.id;
  row.append(label, input);
  return { row, input };
}

/** Whether the input was changed since it was made. */
export function fieldChanged(input) {
  return input.value !== input.dataset.was;
}

/** What an input holds, as the field's JSON value (`null`: removed). */
export function fieldValue(field, text) {
  if (text.trim() === '') return null;
  if (field.list) return text.split('\n').map((line) => line.trim()).filter(Boolean);
  switch (field.type) {
    case 'integer': case 'number': {
      const number = Number(text);
      return Number.isFinite(number) ? number : text;
    }
    case 'bool': return text === 'true' ? true : text === 'false' ? false : text;
    default: return text;
  }
}
