// Builds the pages into dist/: the workbench (src/workbench/) and the board (src/board/), each
// one bundled ES module (split where mermaid loads its diagrams lazily, and where both pages share
// src/shared/), with their pages and styles; the engine's WebAssembly, the bundled playbook and
// the example deals. Needs the JavaScript package built first
// (npm --prefix ../bindings/js run build).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(web, '..');
const dist = join(web, 'dist');
const src = join(web, 'src');
const wasm = join(root, 'bindings', 'js', 'pkg', 'stagegate_wasm_bg.wasm');

if (!existsSync(wasm)) {
  console.error(`${wasm} is missing: build the JavaScript package first (npm --prefix bindings/js run build)`);
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'pkg'), { recursive: true });

/**
 * Mermaid loads each kind of diagram (and its parser, layouts and KaTeX) when a text of that kind
 * is drawn. The workbench draws the engine's state diagrams only: every other kind is left out of
 * dist/ (3 MB), each replaced by a module that says so if it were ever loaded.
 */
const stateDiagramsOnly = {
  name: 'state-diagrams-only',
  setup(bundle) {
    const kept = /stateDiagram|\/dagre-|\/sizeCapture-/;
    bundle.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.importer.includes(`${join('node_modules', 'mermaid')}`)) return undefined;
      if (kept.test(args.path)) return undefined;
      return { path: args.path, namespace: 'left-out' };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`the workbench draws state diagrams only; left out: ${args.path}`)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: {
    app: join(src, 'workbench', 'main.js'),
    board: join(src, 'board', 'main.js'),
    // The board's own pages: "My tasks" and "Waiting for my approval".
    tasks: join(src, 'board', 'tasks.js'),
    approvals: join(src, 'board', 'approvals.js'),
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  outdir: dist,
  entryNames: '[name]',
  // The package reads files and starts worker threads only in Node; never in a page.
  external: ['node:*'],
  plugins: [stateDiagramsOnly],
  logLevel: 'warning',
});

cpSync(wasm, join(dist, 'pkg', 'stagegate_wasm_bg.wasm'));
// Every page and style sheet at the top of dist/, where the pages and the service expect them.
for (const [folder, file] of [
  ['workbench', 'index.html'], ['workbench', 'style.css'], ['board', 'board.html'], ['board', 'board.css'], ['shared', 'fields.css'],
  ['board', 'deal.css'], ['board', 'tasks.html'], ['board', 'approvals.html'], ['board', 'lists.css'],
]) {
  cpSync(join(src, folder, file), join(dist, file));
}
cpSync(join(root, 'playbooks', 'b2b-sales.yaml'), join(dist, 'playbooks', 'b2b-sales.yaml'));

// The service worker that keeps the page offline, with the list of every file it keeps and a
// version that changes with any of them.
const files = [];
const list = (dir, prefix) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) list(path, `${prefix}${name}/`);
    else files.push(`${prefix}${name}`);
  }
};
list(dist, '');
const version = createHash('sha256');
for (const file of files) version.update(file).update(readFileSync(join(dist, file)));
writeFileSync(
  join(dist, 'sw.js'),
  `const FILES = ${JSON.stringify(['./', ...files])};\nconst VERSION = '${version.digest('hex').slice(0, 12)}';\n${readFileSync(join(src, 'workbench', 'sw.js'), 'utf8')}`,
);

// Every file of dist/: those the worker keeps, and the worker itself.
let bytes = 0;
for (const file of [...files, 'sw.js']) bytes += statSync(join(dist, file)).size;
console.log(`web/dist: ${(bytes / 1e6).toFixed(2)} MB`);
