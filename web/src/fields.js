// A playbook's field as a form input, shared by the board's deal and the workbench's sandbox:
// enum values as a list, yes/no for bool, a date picker for dates, one line per item for lists.
// A value an input cannot show exactly (a date-time, a list's item holding a line break) is
// shown as text, never cut.

const plainDate = /^\d{4}-\d{2}-\d{2}$/;

/** A field's value as its input shows it. */
function shown(field, value) {
  if (value === undefined || value === null) return '';
  if (field.type === 'list') return Array.isArray(value) ? value.join('\n') : String(value);
  return String(value);
}

/**
 * The input for `field` ({id, type, values}) holding `value`; `words` gives the labels of the
 * empty choice and of yes and no ({unset, yes, no, listHelp}).
 */
export function fieldInput(field, value, words) {
  let made;
  if ((field.type === 'enum' || field.type === 'bool') && (value === undefined || value === null || choices(field, words).some(([v]) => v === String(value)))) {
    made = document.createElement('select');
    for (const [optionValue, label] of [['', words.unset], ...choices(field, words)]) {
      const option = document.createElement('option');
      option.value = optionValue;
      option.textContent = label;
      made.append(option);
    }
  } else if (field.type === 'list' && (value === undefined || value === null || (Array.isArray(value) && value.every((item) => typeof item === 'string' && !item.includes('\n'))))) {
    made = document.createElement('textarea');
    made.rows = 2;
    made.title = words.listHelp;
  } else {
    made = document.createElement('input');
    const date = field.type === 'date' && (value === undefined || value === null || plainDate.test(String(value)));
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

function choices(field, words) {
  return field.type === 'bool' ? [['true', words.yes], ['false', words.no]] : (field.values ?? []).map((v) => [v, v]);
}

/** Whether the input was changed since it was made. */
export function fieldChanged(input) {
  return input.value !== input.dataset.was;
}

/** What an input holds, as the field's JSON value (`null`: removed). */
export function fieldValue(field, text) {
  if (text.trim() === '') return null;
  switch (field.type) {
    case 'integer': case 'number': {
      const number = Number(text);
      return Number.isFinite(number) ? number : text;
    }
    case 'bool': return text === 'true' ? true : text === 'false' ? false : text;
    case 'list': return text.split('\n').map((line) => line.trim()).filter(Boolean);
    default: return text;
  }
}
