import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validTaskInput } from '../../common/intake/intakeFixtures';

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
});
