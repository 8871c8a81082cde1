import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import { generateDemoTasks } from '../demo/demoTasks';

// `npm run import` as scripts use it: the printed JSON is a contract, so reason codes and params,
// which only the desk's UI needs, must not appear in it.
const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'desk-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runImport(fileName: string, content: string) {
  const file = join(dir, fileName);
  writeFileSync(file, content);
  const run = spawnSync('npx', ['tsx', 'main/cli/import.ts', '--db', join(dir, 'desk.sqlite'), file], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run import', () => {
  it('prints accepted, duplicates and rejected rows as {row, field, reason} only', () => {
    const bad = validTaskInput();
    bad.sourceTaskId = 'T-2';
    bad.party.phones = ['12345'];
    bad.party.idNumber = '110105194912310021';
    const { status, stdout, stderr } = runImport(
      'tasks.json',
      JSON.stringify({ tasks: [validTaskInput(), bad, validTaskInput()] }),
    );
    expect(status, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    // stderr is not a terminal here: no progress lines.
    expect(stderr).not.toContain('rows');
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['accepted', 'duplicates', 'rejected']);
    expect(report).toEqual({
      accepted: 1,
      duplicates: [3],
      rejected: [
        { row: 2, field: 'idNumber', reason: 'check digit does not match' },
        { row: 2, field: 'phones', reason: 'phone "12345": not a valid mobile or landline number' },
      ],
    });
    for (const rejected of report.rejected as object[]) {
      expect(Object.keys(rejected)).toEqual(['row', 'field', 'reason']);
    }
  });

  it('exits 1 with a bad_file error for a .json file that is not JSON', () => {
    const { status, stdout } = runImport('broken.json', '{"tasks": [ {"sourceTaskId": ');
    expect(status).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'bad_file' } });
  });

  it('shows progress on stderr when it is a terminal, and stdout stays the JSON report', () => {
    const file = join(dir, 'many.json');
    const out = join(dir, 'many-report.json');
    const tasks = generateDemoTasks({ count: 3000, today: '2026-11-23', idPrefix: 'PTY-' });
    writeFileSync(file, JSON.stringify({ tasks }));
    const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const command = ['node', '--import', 'tsx', 'main/cli/import.ts', '--db', join(dir, 'pty.sqlite'), file]
      .map(quote)
      .join(' ');
    // `script` runs the import on a pseudo-terminal (stderr a TTY) with stdout sent to a file.
    const run = spawnSync('script', ['-qec', `${command} > ${quote(out)}`, '/dev/null'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.error) throw run.error;
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const terminal = run.stdout;
    expect(terminal).toMatch(/many\.json: importing \d+\/3000 rows/);
    expect(terminal).toContain('many.json: done 3000/3000 rows · 3000 accepted · 0 duplicates · 0 rejected');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ accepted: 3000, duplicates: [], rejected: [] });
  });
});
