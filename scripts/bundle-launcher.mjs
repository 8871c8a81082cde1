// Copied by scripts/build-node.mjs to dist/node/<name>.mjs, beside the bundle <name>.cjs it runs.
// It runs the bundle through V8's code cache: compiling 2.6 MB of JavaScript is a third of the
// host's start-up, and Node 20 has no compile cache of its own (module.enableCompileCache is 22+).
// The cache (<name>.cjs.v8cache) is written once, after the first start, and is rebuilt whenever
// V8 rejects it (another build, another Node); if the folder is read-only the bundle simply runs
// without it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const launcher = fileURLToPath(import.meta.url);
const bundle = launcher.replace(/\.mjs$/, '.cjs');
const cacheFile = `${bundle}.v8cache`;

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache yet
}
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });

if (cachedData === undefined || script.cachedDataRejected) {
  // After start-up, so the cache also holds the functions start-up compiled; once per build.
  let saved = false;
  const save = () => {
    if (saved) return;
    saved = true;
    try {
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // read-only or racing another process: the next start tries again
    }
  };
  setTimeout(save, 1000).unref();
  // Short-lived runs (a CLI, a host stopped at once) save on the way out; writing is synchronous.
  process.once('exit', save);
}

const module = { exports: {} };
script
  .runInThisContext()
  .call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
