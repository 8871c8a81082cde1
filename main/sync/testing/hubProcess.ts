import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import readline from 'node:readline';
import { v7 as uuidv7 } from 'uuid';
import { validTaskInput } from '../../../common/intake/intakeFixtures';
import type { IntakeResponse, LoginResponse } from '../../../common/sync/hubApi';
import type { TaskSnapshot } from '../../../common/sync/protocol';

// The real hub as a child process (scripts/embeddedHub.ts on PGlite in a directory), once per
// suite, with the demo accounts and no demo tasks. Its HTTP API drives the lead's side of tests.

const ROOT = resolve(import.meta.dirname, '../../..');

export interface HubProcess {
  url: string;
  port: number;
  apiKey: string;
  /** The demo seal's root certificate (PEM file), as the hub printed it. */
  sealRoot: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `store`: a PGlite directory, or a postgres:// URL. */
export async function startHubProcess(store: string, apiKey?: string, demoTasks = 0): Promise<HubProcess> {
  const where = /^postgres(ql)?:\/\//.test(store) ? ['--db', store] : ['--pglite', store];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'scripts/embeddedHub.ts'), ...where, '--demo-tasks', String(demoTasks)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, HUB_LOG_LEVEL: 'silent' } },
  );
  const lines = readline.createInterface({ input: child.stdout! });
  let url = '';
  let key = apiKey ?? '';
  let sealRoot = '';
  await new Promise<void>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`the hub exited (${code}) before it listened`)));
    lines.on('line', (line) => {
      if (line.startsWith('HUB_URL ')) url = line.slice(8).trim();
      if (line.startsWith('HUB_DEMO ')) {
        const demo = JSON.parse(line.slice(9)) as { apiKey: string | null; sealRoot: string };
        key = demo.apiKey ?? key;
        sealRoot = demo.sealRoot;
        done();
      }
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    apiKey: key,
    sealRoot,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}

export const DEMO_PASSWORD = 'demo-desk-2026';

/**
 * Where the suite's hub keeps its data: PGlite in a new directory, or — in the desk-sync-postgres
 * project, whose global setup runs a PostgreSQL server — a new database on that server.
 */
export async function hubStore(serverUrl: string | null): Promise<string> {
  if (!serverUrl) return mkdtempSync(join(tmpdir(), 'hub-pglite-'));
  const name = `desk_sync_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The lead's (and the case system's) side of a test, straight over HTTP. */
export function hubApi(url: string) {
  const call = async <T>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const login = (username: string) =>
    call<LoginResponse>('POST', '/auth/login', null, { username, password: DEMO_PASSWORD });
  return {
    login,
    /** The demo team's three sign-ins: its lead and its two specialists. */
    loginDemoTeam: () => Promise.all([login('demo.lead'), login('demo.zhang'), login('demo.li')]),
    intake: (apiKey: string, tasks: unknown[]) =>
      call<IntakeResponse>('POST', '/intake/tasks', null, { tasks }, { 'x-api-key': apiKey }),
    reassign: (token: string, taskIds: string[], assigneeId: string | null, reason = 'test') =>
      call('POST', '/lead/reassign', token, { taskIds, assigneeId, reason }),
    task: (token: string, taskId: string) => call<TaskSnapshot>('GET', `/sync/tasks/${taskId}`, token),
    queue: (token: string, query: string) =>
      call<{ total: number; rows: { id: string }[] }>('GET', `/lead/queue?${query}`, token),
    /** Status events pushed as a desk of the token's user would (a fresh client, mutations from 1). */
    pushEvents: (token: string, taskId: string, events: readonly string[]) =>
      call('POST', '/sync/push', token, {
        clientId: uuidv7(),
        operations: events.map((type, i) => ({
          type: 'task.event',
          opId: uuidv7(),
          mutationId: i + 1,
          taskId,
          event: { type },
        })),
      }),
  };
}

/**
 * A task for `member`, delivered on the hub by another of their desks: taken in with one document,
 * assigned by the lead, and taken to delivered by status events pushed over HTTP.
 */
export async function deliveredTaskOnHub(
  hub: Pick<HubProcess, 'url' | 'apiKey'>,
  by: { lead: LoginResponse; member: LoginResponse },
  task: {
    sourceTaskId: string;
    caseNumber: string;
    document: { title: string; kind: string; sha256: string };
  },
): Promise<string> {
  const api = hubApi(hub.url);
  const input = validTaskInput();
  const { taskIds } = await api.intake(hub.apiKey, [
    {
      ...input,
      sourceTaskId: task.sourceTaskId,
      deadline: null,
      case: { ...input.case, number: task.caseNumber },
      documents: [task.document],
    },
  ]);
  const taskId = taskIds[0]!;
  await api.reassign(by.lead.token, [taskId], by.member.user.id);
  await api.pushEvents(by.member.token, taskId, ['start_work', 'record_consent', 'send', 'confirm_delivery']);
  return taskId;
}
