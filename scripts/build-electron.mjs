// Bundles the Electron shell: main/electron/main.ts → dist/electron/main.cjs and
// preload/index.ts → dist/electron/preload.cjs. The preload runs sandboxed, where only
// require('electron') works, so everything else (the contract, zod) is inlined and the build
// fails if the bundle would require anything else. Usage: node scripts/build-electron.mjs
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'electron');

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 41 runs Node 24 and Chromium 146; node22 syntax is safe in both processes.
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // import.meta is empty in CJS output: code that locates files through it would look in the
  // wrong place once bundled, so that fails the build instead of the app.
  logOverride: { 'empty-import-meta': 'error' },
};

const [mainResult, preloadResult] = await Promise.all([
  build({
    ...shared,
    // The import worker is its own entry, beside main.cjs (see main/intake/importWorkerEntry.ts).
    entryPoints: { main: 'main/electron/main.ts', importWorker: 'main/intake/importWorker.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    // importWorkerEntry.ts finds the worker beside its own bundle.
    define: { 'import.meta.dirname': '__dirname' },
    // better-sqlite3 stays a real module: its .node addon is rebuilt for Electron by electron-builder.
    external: ['electron', 'better-sqlite3'],
    // PDFKit's ES build (what an import resolves to) reads import.meta.url, which is empty in CJS;
    // its CommonJS build bundles cleanly and renders the same bytes (main/receipts/).
    alias: { pdfkit: './node_modules/pdfkit/js/pdfkit.js' },
  }),
  build({
    ...shared,
    entryPoints: { preload: 'preload/index.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);

for (const [output, info] of Object.entries(preloadResult.metafile.outputs)) {
  if (output.endsWith('.map')) continue;
  const foreign = info.imports.filter((i) => i.external && i.path !== 'electron');
  if (foreign.length > 0) {
    throw new Error(
      `the sandboxed preload may require only 'electron', but ${output} requires ${foreign.map((i) => i.path).join(', ')}`,
    );
  }
}

const sizes = [mainResult, preloadResult].flatMap((r) =>
  Object.entries(r.metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, info]) => `${file} (${(info.bytes / 1024).toFixed(0)} KiB)`),
);
console.log(`built ${sizes.join(', ')}`);
