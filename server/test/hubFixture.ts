import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, inject } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import type { HubUser, IntakeResponse, LoginResponse } from '../../common/sync/hubApi';
import type { PushResponse, SyncOperationInput } from '../../common/sync/protocol';
import { buildHub, type HubApp } from '../app';
import type { HubConfigInput } from '../config';
import type { DbTarget } from '../db/driver';
import { createTeam, createUser, issueApiKey } from '../store/accounts';
import './postgresGlobalSetup';
import { createDatabase } from './postgresServer';

// One hub per test file (beforeAll), on the backend the vitest project names: PGlite in memory,
// or a fresh database on the run's PostgreSQL server.

export const backend: 'pglite' | 'postgres' = process.env.HUB_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** A new, empty database target on this run's backend. */
export async function freshDbTarget(): Promise<DbTarget> {
  if (backend === 'pglite') return { kind: 'pglite', dataDir: null };
  const url = await createDatabase(inject('hubPostgresUrl'), `hub_${randomBytes(6).toString('hex')}`);
  return { kind: 'postgres', url };
}

export async function startHub(db: DbTarget, config: Partial<HubConfigInput> = {}): Promise<HubApp> {
  const app = await buildHub({ db, ...config });
  await app.ready();
  return app;
}

export const PASSWORD = 'correct horse battery';

export interface Member {
  user: HubUser;
  token: string;
}

export interface World {
  app: HubApp;
  teamA: string;
  teamB: string;
  /** Team A: two specialists and a lead; team B: a specialist and a lead; an admin. */
  specA1: Member;
  specA2: Member;
  leadA: Member;
  specB: Member;
  leadB: Member;
  admin: Member;
  /** A case system's key feeding team A, and one feeding team B. */
  keyA: string;
  keyB: string;
}

async function login(app: HubApp, username: string): Promise<Member> {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password: PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`login ${username}: ${response.body}`);
  const body = response.json<LoginResponse>();
  return { user: body.user, token: body.token };
}

/** Teams, users and keys through the same store functions the admin CLI uses, then logins. */
export async function seedWorld(app: HubApp): Promise<World> {
  const teamA = (await createTeam(app.db, 'Team A')).id;
  const teamB = (await createTeam(app.db, 'Team B')).id;
  const people: [string, string, HubUser['role'], string | null][] = [
    ['spec.a1', '张一', 'specialist', teamA],
    ['spec.a2', '李二', 'specialist', teamA],
    ['lead.a', '王组长', 'lead', teamA],
    ['spec.b', '赵三', 'specialist', teamB],
    ['lead.b', '钱组长', 'lead', teamB],
    ['admin', 'Admin', 'admin', null],
  ];
  for (const [username, displayName, role, teamId] of people) {
    await createUser(app.db, { username, displayName, role, teamId, password: PASSWORD });
  }
  const [specA1, specA2, leadA, specB, leadB, admin] = await Promise.all(
    people.map(([username]) => login(app, username)),
  );
  return {
    app,
    teamA,
    teamB,
    specA1: specA1!,
    specA2: specA2!,
    leadA: leadA!,
    specB: specB!,
    leadB: leadB!,
    admin: admin!,
    keyA: (await issueApiKey(app.db, 'case-system-a', teamA)).key,
    keyB: (await issueApiKey(app.db, 'case-system-b', teamB)).key,
  };
}

export interface SeededHub {
  readonly app: HubApp;
  readonly world: World;
}

/** The usual suite set-up: a hub on a fresh database with the seeded world (beforeAll), closed after
 * the suite. Read `app` and `world` inside hooks and tests, once beforeAll has run. */
export function useSeededHub(config: Partial<HubConfigInput> = {}): SeededHub {
  let app: HubApp | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    app = await startHub(await freshDbTarget(), config);
    world = await seedWorld(app);
  });
  afterAll(async () => {
    await app?.close();
  });
  const started = (): World => {
    if (!world) throw new Error('useSeededHub: the hub starts in beforeAll');
    return world;
  };
  return {
    get app() {
      return started().app;
    },
    get world() {
      return started();
    },
  };
}

export const bearer = (member: Member) => ({ authorization: `Bearer ${member.token}` });

let taskCounter = 0;
/** A valid intake task with a unique source task id. */
export function intakeTask(overrides: Record<string, unknown> = {}) {
  taskCounter += 1;
  return { ...validTaskInput(), sourceTaskId: `T-${Date.now()}-${taskCounter}`, ...overrides };
}

export async function intake(app: HubApp, key: string, tasks: unknown[]): Promise<IntakeResponse> {
  const response = await app.inject({
    method: 'POST',
    url: '/intake/tasks',
    headers: { 'x-api-key': key },
    payload: { tasks },
  });
  if (response.statusCode !== 200) throw new Error(`intake: ${response.body}`);
  return response.json<IntakeResponse>();
}

/** Creates `count` tasks for team A or B and assigns them all to `to` (through the lead routes). */
export async function assignedTasks(world: World, to: Member, count = 1): Promise<string[]> {
  const inB = to.user.teamId === world.teamB;
  const { taskIds } = await intake(
    world.app,
    inB ? world.keyB : world.keyA,
    Array.from({ length: count }, () => intakeTask()),
  );
  const response = await world.app.inject({
    method: 'POST',
    url: '/lead/reassign',
    headers: bearer(inB ? world.leadB : world.leadA),
    payload: { taskIds, assigneeId: to.user.id, reason: 'test set-up' },
  });
  if (response.statusCode !== 200) throw new Error(`assign: ${response.body}`);
  return taskIds;
}

export async function push(
  app: HubApp,
  member: Member,
  clientId: string,
  operations: unknown[],
): Promise<{ status: number; body: PushResponse; response: LightMyRequestResponse }> {
  const response = await app.inject({
    method: 'POST',
    url: '/sync/push',
    headers: bearer(member),
    payload: { clientId, operations },
  });
  return { status: response.statusCode, body: response.json<PushResponse>(), response };
}

/** An attempt fact operation, with fresh record ids. */
export function attemptOp(
  taskId: string,
  mutationId: number,
  disposition: 'no_answer' | 'connected_consented' | 'callback_requested' = 'no_answer',
): SyncOperationInput {
  return {
    type: 'fact.record',
    kind: 'attempt',
    opId: uuidv7(),
    mutationId,
    taskId,
    factId: uuidv7(),
    body: { disposition },
  };
}

/** A consent fact operation (the party's consent on a recorded call), with fresh record ids. */
export function consentOp(
  taskId: string,
  mutationId: number,
  body: { channel: 'sms' | 'email'; address: string; recordingSha256: string },
): SyncOperationInput {
  return { type: 'fact.record', kind: 'consent', opId: uuidv7(), mutationId, taskId, factId: uuidv7(), body };
}

/** A recording fact operation for the blob `sha256` (audio/webm), with fresh record ids. */
export function recordingOp(
  taskId: string,
  mutationId: number,
  sha256: string,
  bytes: number,
): SyncOperationInput {
  return {
    type: 'fact.record',
    kind: 'recording',
    opId: uuidv7(),
    mutationId,
    taskId,
    factId: uuidv7(),
    body: { sha256, bytes, mimeType: 'audio/webm' },
  };
}

/** A task event operation, with a fresh op id; `type` unchecked here, so tests can send refused ones. */
export function taskEventOp(taskId: string, mutationId: number, type: string) {
  return { type: 'task.event', opId: uuidv7(), mutationId, taskId, event: { type } };
}

export const newClientId = () => uuidv7();
