// Bundles the desk's plain-Node entry points — the browser host and the CLIs — so they start from
// JavaScript: transpiling TypeScript at start (tsx) costs about half a second and is for
// development only (`npm run host:dev`, `npm run import:dev`). Each entry becomes
// dist/node/<name>.cjs (the bundle, CommonJS so V8 can cache its compiled code) and
// dist/node/<name>.mjs (scripts/bundle-launcher.mjs, which runs it through that cache): run
// `node dist/node/<name>.mjs`. Electron's main and preload are bundled by scripts/build-electron.mjs.
//
// Usage: node scripts/build-node.mjs            build
//        node scripts/build-node.mjs --if-stale build only when a bundle is missing or older than
//                                               any file it was built from (what `npm run host` does)
import { build } from 'esbuild';
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'node');
/** What the last build read (esbuild's metafile inputs): the staleness check compares their mtimes. */
const inputsFile = path.join(outdir, 'inputs.json');

/**
 * Every plain-Node entry point, one place: output name → source. A worker thread's entry goes
 * here too; it lands beside the others, so `new URL('./<name>.mjs', import.meta.url)` finds it
 * (import.meta.url, .dirname and .filename are defined for the CommonJS bundles below).
 */
export const NODE_ENTRIES = {
  host: 'main/host/cli.ts',
  import: 'main/cli/import.ts',
  // `npm run verify`: a proof or an evidence bundle, offline or against a hub.
  verify: 'main/cli/verify.ts',
  // The import worker, found beside the host's bundle by main/intake/importWorkerEntry.ts.
  importWorker: 'main/intake/importWorker.ts',
};

const LAUNCHER = 'scripts/bundle-launcher.mjs';
const outputs = () =>
  Object.keys(NODE_ENTRIES).flatMap((name) =>
    [`${name}.cjs`, `${name}.mjs`].map((f) => path.join(outdir, f)),
  );

/** Why the bundles must be (re)built, or null when they are up to date. */
export function staleReason() {
  const built = outputs().map((file) => (existsSync(file) ? statSync(file).mtimeMs : -1));
  if (built.includes(-1) || !existsSync(inputsFile)) return 'a bundle is missing';
  const oldest = Math.min(...built);
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return 'the list of inputs is unreadable';
  }
  const wanted = Object.values(NODE_ENTRIES).sort().join('\n');
  if (recorded.entries?.slice().sort().join('\n') !== wanted) return 'the entry list changed';
  for (const input of [...recorded.inputs, 'scripts/build-node.mjs', LAUNCHER, 'package.json']) {
    const file = path.join(root, input);
    if (!existsSync(file) || statSync(file).mtimeMs > oldest) return `${input} changed`;
  }
  return null;
}

export async function buildNodeBundles() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: NODE_ENTRIES,
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    // CommonJS: V8's code cache (vm.Script cachedData) takes scripts, not ES modules. So no
    // top-level await in an entry; import.meta means what it means in the launcher's folder.
    format: 'cjs',
    define: {
      'import.meta.dirname': '__dirname',
      'import.meta.filename': '__filename',
      'import.meta.url': '__deskImportMetaUrl',
    },
    banner: { js: "var __deskImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    target: 'node20',
    // Fewer bytes to parse at every start; names are kept so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // Short lines: Node prints the line an uncaught error was thrown from, not a 100 KiB one.
    lineLimit: 160,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // import.meta that is not defined above would be empty in CommonJS: fail the build instead.
    logOverride: { 'empty-import-meta': 'error' },
    // better-sqlite3 stays a real module: its .node addon is loaded from node_modules.
    external: ['better-sqlite3'],
  });
  for (const name of Object.keys(NODE_ENTRIES))
    copyFileSync(path.join(root, LAUNCHER), path.join(outdir, `${name}.mjs`));
  // Code caches of the previous build: V8 would reject them anyway.
  for (const file of readdirSync(outdir)) if (file.endsWith('.v8cache')) rmSync(path.join(outdir, file));
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('<'));
  writeFileSync(inputsFile, `${JSON.stringify({ entries: Object.values(NODE_ENTRIES), inputs }, null, 1)}\n`);
  return Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, info]) => `${file} (${(info.bytes / 1024).toFixed(0)} KiB)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ifStale = process.argv.includes('--if-stale');
  const reason = staleReason();
  if (ifStale && reason === null) process.exit(0);
  const sizes = await buildNodeBundles();
  // stderr: `npm run import` keeps stdout for its JSON report.
  process.stderr.write(`built ${sizes.join(', ')}${ifStale ? ` (${reason})` : ''}\n`);
}
