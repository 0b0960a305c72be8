// The playbook's YAML editor: CodeMirror 6 with YAML highlighting, the engine's diagnostics
// underlined at their line and column (message and help on hover, marks in the gutter), and
// completion of keys, values and ids (complete.js).
import { EditorView, basicSetup } from 'codemirror';
import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { playbookCompletions } from './complete.js';
import { lintGutter, setDiagnostics } from '@codemirror/lint';

/** An editor in `parent` holding `text`; `onChange(text)` after each change. */
export function playbookEditor(parent, text, onChange) {
  return new EditorView({
    doc: text,
    parent,
    extensions: [
      basicSetup,
      yaml(),
      yamlLanguage.data.of({ autocomplete: playbookCompletions }),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': 'Playbook YAML', tabindex: '0' }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
}

/** Shows the engine's diagnostics (as `check --format json` gives them) in the editor. */
export function showDiagnostics(view, diagnostics) {
  const doc = view.state.doc;
  const marks = diagnostics.map((d) => ({
    ...span(doc, d),
    severity: d.severity === 'error' ? 'error' : 'warning',
    source: d.code,
    message: d.help ? `${d.message}\n${d.help}` : d.message,
  }));
  view.dispatch(setDiagnostics(view.state, marks));
}

/** Moves the cursor to a diagnostic and gives the editor the focus. */
export function goTo(view, diagnostic) {
  const { from } = span(view.state.doc, diagnostic);
  view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
  view.focus();
}

/**
 * The text a diagnostic points at: from its line and column to the end of the word there (the
 * whole line when the column is at its end; the first character when it has no line).
 */
function span(doc, diagnostic) {
  const number = diagnostic.line;
  if (!Number.isInteger(number) || number < 1 || number > doc.lines) {
    return { from: 0, to: Math.min(1, doc.length) };
  }
  const line = doc.line(number);
  const column = Number.isInteger(diagnostic.column) ? Math.max(diagnostic.column - 1, 0) : 0;
  const start = Math.min(column, line.length);
  let end = start;
  while (end < line.length && !/\s/.test(line.text[end])) end += 1;
  if (end === start) return { from: line.from, to: line.to };
  return { from: line.from + start, to: line.from + end };
}
