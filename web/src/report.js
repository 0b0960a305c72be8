// The views that are lists: diagnostics, test cases and their coverage.

/** `n` things, in words: `1 error`, `2 errors`. */
function count(n, thing) {
  return `${n} ${thing}${n === 1 ? '' : 's'}`;
}

/** Fills `list` with the diagnostics; `pick(diagnostic)` when one is chosen. */
export function listDiagnostics(list, counter, diagnostics, pick) {
  list.replaceChildren();
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  counter.textContent = diagnostics.length === 0 ? '(none)' : `(${count(errors, 'error')}, ${count(warnings, 'warning')})`;
  for (const d of diagnostics) {
    const item = document.createElement('li');
    item.className = d.severity === 'error' ? 'error' : 'warning';
    const button = document.createElement('button');
    button.type = 'button';
    const where = Number.isInteger(d.line) ? `line ${d.line}${Number.isInteger(d.column) ? `:${d.column}` : ''}` : 'playbook';
    button.textContent = `${where} ${d.severity} [${d.code}] ${d.message}`;
    button.addEventListener('click', () => pick(d));
    item.append(button);
    if (d.help) {
      const help = document.createElement('div');
      help.className = 'help';
      help.textContent = d.help;
      item.append(help);
    }
    list.append(item);
  }
}

/** Fills `list` with a test report (as `test --format json` gives it): failures open, passes folded. */
export function listTests(list, counter, coverage, report) {
  list.replaceChildren();
  const failed = report.cases.filter((c) => c.failures.length > 0);
  const passed = report.cases.filter((c) => c.failures.length === 0);
  counter.textContent = `(${passed.length} passed, ${failed.length} failed)`;
  for (const c of failed) {
    const item = document.createElement('li');
    item.className = 'failed';
    item.textContent = `✗ ${c.name} (${c.source})`;
    for (const failure of c.failures) {
      const detail = document.createElement('pre');
      detail.className = 'expected-got';
      detail.textContent = failure;
      item.append(detail);
    }
    list.append(item);
  }
  if (passed.length > 0) {
    const item = document.createElement('li');
    const fold = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = `✓ ${count(passed.length, 'case')} passed`;
    const names = document.createElement('ul');
    for (const c of passed) {
      const name = document.createElement('li');
      name.className = 'passed';
      name.textContent = c.name;
      names.append(name);
    }
    fold.append(summary, names);
    item.append(fold);
    list.append(item);
  }
  const gaps = Object.entries(report.coverage).filter(([, items]) => items.length > 0);
  coverage.textContent = gaps.length === 0
    ? 'Coverage: every stage entered, every move evaluated, every criterion seen both ways.'
    : `Coverage gaps: ${gaps.map(([kind, items]) => `${kind.replaceAll('_', ' ')}: ${items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join(', ')}`).join('; ')}`;
}

/** A message in place of a list: the tests cannot run while the playbook does not load. */
export function notRun(list, counter, coverage, why) {
  list.replaceChildren();
  counter.textContent = '';
  coverage.textContent = why;
}
