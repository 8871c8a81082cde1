import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../native/sqlite';
import { validTaskInput } from '../common/intake/intakeFixtures';
import { ensureNodeBundles, startHostProcess } from './support/hostProcess';

// What `npm run import` and `npm run host` run: the bundles in dist/node, plain JavaScript, no tsx.
// (main/cli/import.test.ts tests the import CLI's source before anything is built.)

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'desk-bundles-'));
beforeAll(() => ensureNodeBundles());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled CLIs', () => {
  it('dist/node/import.mjs imports a file and prints its report', () => {
    const file = join(dir, 'tasks.json');
    const dbPath = join(dir, 'import.sqlite');
    const second = { ...validTaskInput(), sourceTaskId: 'T-2' };
    writeFileSync(file, JSON.stringify({ tasks: [validTaskInput(), second, validTaskInput()] }));
    const run = spawnSync(process.execPath, ['dist/node/import.mjs', '--db', dbPath, file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ accepted: 2, duplicates: [3], rejected: [] });
    const db = new Database(dbPath, { readonly: true });
    try {
      const ids = db.prepare('SELECT source_task_id FROM tasks ORDER BY id').pluck().all();
      expect(ids).toEqual(['T-1', 'T-2']);
    } finally {
      db.close();
    }
  });

  it('dist/node/host.mjs serves the desk, with cache headers, and reports its start-up phases', async () => {
    const host = await startHostProcess(['--db', join(dir, 'host.sqlite'), '--timings']);
    try {
      expect(host.child.spawnargs.some((arg) => arg.endsWith('dist/node/host.mjs'))).toBe(true);
      expect(host.child.spawnargs.join(' ')).not.toContain('tsx');
      const index = await fetch(host.origin);
      expect(index.status).toBe(200);
      // index.html is asked for again each start; the content-hashed assets it names are kept.
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const html = await index.text();
      expect(html).toContain('<div id="root">');
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${host.origin}/${script}`);
      expect(asset.status).toBe(200);
      await asset.arrayBuffer(); // read to the end: an unread body keeps the host from closing
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      await expect.poll(() => host.laterLines.find((l) => l.startsWith('DESK_TIMINGS '))).toBeTruthy();
      const line = host.laterLines.find((l) => l.startsWith('DESK_TIMINGS '))!;
      const { marks } = JSON.parse(line.slice('DESK_TIMINGS '.length)) as { marks: Record<string, number> };
      expect(Object.keys(marks)).toEqual(['modulesLoaded', 'databaseOpened', 'backendReady', 'listening']);
      expect(marks.listening).toBeGreaterThanOrEqual(marks.modulesLoaded!);
    } finally {
      await host.stop();
    }
  });
});
