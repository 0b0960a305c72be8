// The README's JavaScript example, run as written from the repository's root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);

test('the README example runs as written and prints what it says', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const section = readme.slice(readme.indexOf('## From JavaScript'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'a js block in the section');
  const index = new URL('bindings/js/index.js', root).href;
  const dir = mkdtempSync(join(tmpdir(), 'stagegate-readme-'));
  try {
    const file = join(dir, 'example.mjs');
    writeFileSync(file, code.replace("from 'stagegate'", `from '${index}'`));
    const printed = execFileSync(process.execPath, [file], { cwd: fileURLToPath(root), encoding: 'utf8' });
    const lines = printed.trim().split('\n');
    assert.match(lines[0], /^needs_analysis \[/);
    assert.ok(lines.some((line) => line.startsWith('blocked: [')), printed);
    assert.equal(lines.at(-1), 'cold');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
