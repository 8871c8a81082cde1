import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import { hubApi, hubStore, startHubProcess, type HubProcess } from '../sync/testing/hubProcess';

// `npm run import -- --hub URL --key KEY FILE` against a real hub (a child process on PGlite):
// the same printed report as `--db`, the hub's rows being the file's, and the tasks on the hub.
const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'desk-import-hub-'));
let hub: HubProcess;
let hubDir: string;

beforeAll(async () => {
  hubDir = await hubStore(null);
  hub = await startHubProcess(hubDir);
}, 60_000);
afterAll(async () => {
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (hubDir) rmSync(hubDir, { recursive: true, force: true });
});

function runImport(fileName: string, content: string, key = hub.apiKey) {
  const file = join(dir, fileName);
  writeFileSync(file, content);
  const run = spawnSync('npx', ['tsx', 'main/cli/import.ts', '--hub', hub.url, '--key', key, file], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const task = (sourceTaskId: string, overrides: Record<string, unknown> = {}) => ({
  ...validTaskInput(),
  sourceTaskId,
  ...overrides,
});

describe('npm run import -- --hub', () => {
  it("sends the file's tasks to the hub's intake and prints the file's rows in the --db report shape", async () => {
    const bad = task('HUB-2');
    bad.party = { ...bad.party, phones: ['12345'], idNumber: '110105194912310021' };
    const tasks = [
      task('HUB-1'),
      bad,
      task('HUB-1'),
      task('HUB-4', { caseNumber: '（2026）京0105民初999号' }),
    ];
    const first = runImport('tasks.json', JSON.stringify({ tasks }));
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['accepted', 'duplicates', 'rejected']);
    expect(report).toEqual({
      accepted: 2,
      duplicates: [3],
      rejected: [
        { row: 2, field: 'idNumber', reason: 'check digit does not match' },
        { row: 2, field: 'phones', reason: 'phone "12345": not a valid mobile or landline number' },
      ],
    });

    // The tasks are on the hub, in the team's pool.
    const api = hubApi(hub.url);
    const lead = await api.login('demo.lead');
    const pool = await api.queue(lead.token, 'filter=unassigned&limit=200');
    expect(pool.total).toBe(2);

    // The same file again: the hub already has its tasks.
    const again = runImport('tasks.json', JSON.stringify({ tasks }));
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: [1, 3, 4] });
    expect((await api.queue(lead.token, 'filter=unassigned&limit=200')).total).toBe(2);
  }, 120_000);

  it('names CSV rows as the spreadsheet does, a short row rejected before it is sent', () => {
    const header = '来源编号,案号,法院,当事人,证件号码,联系电话,送达文书,送达期限';
    const good = (id: string) =>
      `${id},（2026）京0105民初${id.slice(-3)}号,北京市朝阳区人民法院,张三,110101199003074514,13800138000,起诉状副本,2026-12-31`;
    const csv = [header, good('CSV-101'), ',,,,,,,', 'CSV-102,only,three', good('CSV-104')].join('\n');
    const { status, stdout, stderr } = runImport('tasks.csv', csv);
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      accepted: 2,
      duplicates: [],
      rejected: [{ row: 3, field: 'row', reason: 'row has 3 cells but the header has 8' }],
    });
  }, 60_000);

  it('exits 1 with hub_refused for a key the hub does not know, and 1 with bad_file for a broken file', () => {
    const refused = runImport('one.json', JSON.stringify({ tasks: [task('HUB-X')] }), 'not-a-key');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'hub_refused' } });
    const broken = runImport('broken.json', '{"tasks": [ {"sourceTaskId": ');
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ error: { code: 'bad_file' } });
  }, 60_000);
});
