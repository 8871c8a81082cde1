// `npm test`: everything CI runs, in order — lint (layer rules included), type checks, unit and
// integration tests, the builds, then the end-to-end tests in Chromium. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

mkdirSync('.tmp', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function run(title, command, args, env = {}) {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedSteps.push(title);
  return result.status === 0;
}

function vitest(title, config, report) {
  const ok = run(title, 'npx', [
    'vitest',
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests ?? 0;
    totals.failed += json.numFailedTests ?? 0;
    totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  } else if (!ok) {
    totals.failed += 1;
  }
}

run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
run('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
run('typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('typecheck (renderer)', 'npx', ['tsc', '-p', 'renderer/tsconfig.json', '--noEmit']);
run('typecheck (e2e)', 'npx', ['tsc', '-p', 'e2e/tsconfig.json', '--noEmit']);
vitest('unit and integration', 'vitest.config.ts', '.tmp/unit-report.json');
const built =
  run('build renderer', 'npx', [
    'vite',
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]) &&
  run('build electron bundles', 'node', ['scripts/build-electron.mjs']) &&
  run('build node bundles (host, CLIs)', 'node', ['scripts/build-node.mjs']);
if (built) vitest('end to end (Chromium)', 'e2e/vitest.config.ts', '.tmp/e2e-report.json');

console.log(`\nsteps failed: ${failedSteps.length ? failedSteps.join(', ') : 'none'}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length === 0 && totals.failed === 0 && totals.passed > 0 ? 0 : 1);
