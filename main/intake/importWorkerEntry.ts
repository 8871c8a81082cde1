import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Where the import worker's code is, from source and from a bundle: the one place that knows.
// A build bundles IMPORT_WORKER_SOURCE as its own entry named IMPORT_WORKER_BUNDLE_NAME, written
// beside the bundle that runs openDesk (esbuild: entryPoints { importWorker: IMPORT_WORKER_SOURCE }).

export const IMPORT_WORKER_SOURCE = 'main/intake/importWorker.ts';
export const IMPORT_WORKER_BUNDLE_NAME = 'importWorker';

/** Arguments for `new Worker(filename, { eval })`. */
export interface WorkerLaunch {
  filename: string;
  eval: boolean;
}

// From source: main/intake. Bundled: the bundle's folder (a CJS bundle defines import.meta.dirname
// as __dirname, see scripts/build-electron.mjs).
const HERE = import.meta.dirname;

export function resolveImportWorker(): WorkerLaunch {
  const source = path.join(HERE, 'importWorker.ts');
  if (existsSync(source)) {
    // Node 20 ignores `--import tsx` in a worker's execArgv, so the worker registers tsx itself.
    // require.resolve finds the CommonJS build of tsx's API; the ES module build sits beside it.
    const tsxCjs = createRequire(path.join(HERE, 'importWorkerEntry.js')).resolve('tsx/esm/api');
    const tsx = tsxCjs.replace(/\.c?js$/, '.mjs');
    const code = `import(${JSON.stringify(pathToFileURL(tsx).href)})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); })`;
    return { filename: code, eval: true };
  }
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const bundled = path.join(HERE, `${IMPORT_WORKER_BUNDLE_NAME}${ext}`);
    if (existsSync(bundled)) return { filename: bundled, eval: false };
  }
  throw new Error(
    `the import worker is neither at ${source} nor bundled beside ${HERE} as ${IMPORT_WORKER_BUNDLE_NAME}.js/.mjs/.cjs: ` +
      `add ${IMPORT_WORKER_SOURCE} to the build's entry points`,
  );
}
