import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntakeReport, Result } from '../../common/contract';
import { openDesk } from '../app/openDesk';
import { generateDemoTasks } from '../demo/demoTasks';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { IMPORT_WORKER_BUNDLE_NAME, IMPORT_WORKER_SOURCE, type WorkerLaunch } from './importWorkerEntry';

// The import worker as a build ships it: bundled by esbuild beside the bundle that runs openDesk.
// Bundles go under the repository's .tmp/ so that they resolve better-sqlite3 from node_modules.

const root = join(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(async () => {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(root, '.tmp', 'worker-bundle-'));
  const shared = { absWorkingDir: root, bundle: true, platform: 'node', logLevel: 'error' } as const;
  await Promise.all([
    // As the Electron build does: CommonJS, import.meta.dirname defined as __dirname.
    build({
      ...shared,
      format: 'cjs',
      entryPoints: {
        [IMPORT_WORKER_BUNDLE_NAME]: IMPORT_WORKER_SOURCE,
        entry: 'main/intake/importWorkerEntry.ts',
      },
      outdir: join(dir, 'cjs'),
      outExtension: { '.js': '.cjs' },
      external: ['better-sqlite3'],
      define: { 'import.meta.dirname': '__dirname' },
    }),
    build({
      ...shared,
      format: 'esm',
      entryPoints: { [IMPORT_WORKER_BUNDLE_NAME]: IMPORT_WORKER_SOURCE },
      outdir: join(dir, 'esm'),
      outExtension: { '.js': '.mjs' },
      external: ['better-sqlite3'],
      // CommonJS dependencies (pino) call require(): an ES module bundle provides it.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    }),
  ]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled import worker', () => {
  it('is found beside the bundle that locates it', () => {
    const entry = createRequire(import.meta.url)(join(dir, 'cjs', 'entry.cjs')) as {
      resolveImportWorker(): WorkerLaunch;
    };
    expect(entry.resolveImportWorker()).toEqual({
      filename: join(dir, 'cjs', `${IMPORT_WORKER_BUNDLE_NAME}.cjs`),
      eval: false,
    });
  });

  it.each(['cjs', 'esm'])('imports a file as a %s bundle', async (format) => {
    const dbPath = join(dir, `${format}.sqlite`);
    const ext = format === 'cjs' ? 'cjs' : 'mjs';
    const desk = openDesk({
      dataDir: '',
      dbPath,
      importWorker: { filename: join(dir, format, `${IMPORT_WORKER_BUNDLE_NAME}.${ext}`), eval: false },
    });
    const tasks = generateDemoTasks({ count: 50, today: '2026-11-23', idPrefix: `${format}-` });
    const result = (await desk.dispatch('intakeImport', {
      fileName: 'bundle.json',
      dataBase64: Buffer.from(JSON.stringify({ tasks })).toString('base64'),
    })) as Result<IntakeReport>;
    desk.close();
    expect(result).toMatchObject({ ok: true, value: { accepted: 50, cancelled: false } });
    const db = openDatabase(dbPath);
    expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 50 });
    expect(createAuditLog(db).verify()).toMatchObject({ ok: true, count: 2 });
    db.close();
  });
});
