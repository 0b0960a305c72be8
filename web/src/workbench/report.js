// The views that are lists: diagnostics, test cases and their coverage.
import { w } from './words.js';

/** Fills `list` with the diagnostics; `pick(diagnostic)` when one is chosen. */
export function listDiagnostics(list, counter, diagnostics, pick) {
  list.replaceChildren();
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  counter.textContent = diagnostics.length === 0 ? w('none') : w('diagnosticCount', errors, warnings);
  for (const d of diagnostics) {
    const item = document.createElement('li');
    item.className = d.severity === 'error' ? 'error' : 'warning';
    const button = document.createElement('button');
    button.type = 'button';
    const where = Number.isInteger(d.line) ? `${w('line')} ${d.line}${Number.isInteger(d.column) ? `:${d.column}` : ''}` : w('playbook');
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

/**
 * Fills `list` with a test report (as `test --format json` gives it): failures open, passes
 * folded; its coverage gaps (`gaps`, as sentences) in `coverage`, `pick(gap)` when one is chosen.
 */
export function listTests(list, counter, coverage, report, gaps, pick) {
  list.replaceChildren();
  const failed = report.cases.filter((c) => c.failures.length > 0);
  const passed = report.cases.filter((c) => c.failures.length === 0);
  counter.textContent = w('testCount', passed.length, failed.length);
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
    summary.textContent = w('casesPassed', passed.length);
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
  showCoverage(coverage, gaps, pick);
}

/**
 * Fills `coverage` with the coverage gaps as sentences (coverage.js's `coverageSentences`), each
 * a link calling `pick(gap)` to show its line; a full coverage said in one sentence.
 */
function showCoverage(coverage, gaps, pick) {
  if (gaps.length === 0) {
    coverage.replaceChildren(w('coverageFull'));
    return;
  }
  const list = document.createElement('ul');
  for (const gap of gaps) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.textContent = gap.text;
    if (gap.line !== null) {
      link.href = `#line-${gap.line}`;
      link.title = `${w('line')} ${gap.line}`;
      link.dataset.line = String(gap.line);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        pick(gap);
      });
    }
    item.append(link);
    list.append(item);
  }
  const heading = document.createElement('p');
  heading.textContent = w('coverageCount', gaps.length);
  coverage.replaceChildren(heading, list);
}

/** A message in place of a list: the tests cannot run while the playbook does not load. */
export function notRun(list, counter, coverage, why) {
  list.replaceChildren();
  counter.textContent = '';
  coverage.textContent = why;
}
