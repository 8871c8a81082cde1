import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { generateDemoTasks } from '../main/demo/demoTasks';
import { createHubClient, type FetchLike } from '../common/sync/hubClient';
import type { IntakeResponse } from '../common/sync/hubApi';
import { INITIAL_CURSOR, PullResponse, type SyncOperationInput } from '../common/sync/protocol';
import { LEAD_QUEUE_FILTERS } from '../common/sync/hubApi';
import { buildHub } from '../server/app';
import * as accounts from '../server/store/accounts';
import { createDatabase, startTestPostgres } from '../server/test/postgresServer';
import { percentile, round, timeMs } from './stats';

// `npm run bench -- sync`: the hub on a real PostgreSQL server (Debian's binaries, a temporary
// data directory on 127.0.0.1, started once), spoken to over real HTTP on loopback.
// See bench/RESULTS.md ("Sync") for what each figure means.

const PUSH_OPERATIONS = 10_000;
/** The desk's push batch (main/sync/syncEngine.ts PUSH_BATCH). */
const DESK_PUSH_BATCH = 200;
const DESKS = 200;
const PULL_EVERY_MS = 2_000;
const LOAD_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 60);
const OUTAGE_OPERATIONS = 2_000;
const OUTAGE_RECORDINGS = 50;
const RECORDING_BYTES = 1024 * 1024;
const INTAKE_TASKS = 10_000;
const INTAKE_BATCH = 1_000;
const LEAD_TASKS = Number(process.env.BENCH_LEAD_TASKS ?? 1_000_000);
const LEAD_ROUNDS = 20;
const BULK_REASSIGN = 1_000;
const TODAY = '2026-12-01';
/** `BENCH_SYNC_PUSH_ONLY=1`: the set-up and pushRatio alone (about a minute), printed, not written. */
const PUSH_ONLY = process.env.BENCH_SYNC_PUSH_ONLY === '1';

// The DOM's BodyInit (e2e's tsconfig) is narrower than Node's for Uint8Array bodies; both accept them.
const fetchLike: FetchLike = (url, init) => fetch(url, init as RequestInit);

interface Desk {
  userId: string;
  token: string;
  clientId: string;
  taskIds: string[];
  mutationId: number;
}

const attempt = (desk: Desk, taskId: string): SyncOperationInput => {
  desk.mutationId += 1;
  return {
    type: 'fact.record',
    kind: 'attempt',
    opId: uuidv7(),
    mutationId: desk.mutationId,
    taskId,
    factId: uuidv7(),
    body: { disposition: 'no_answer', notes: 'bench' },
  };
};

/** Pushes operations in the desk's batches, one batch after the other, as a desk's engine does. */
async function pushAll(client: ReturnType<typeof createHubClient>, desk: Desk, ops: SyncOperationInput[]) {
  for (let i = 0; i < ops.length; i += DESK_PUSH_BATCH) {
    const answer = await client.push(desk.clientId, ops.slice(i, i + DESK_PUSH_BATCH));
    const notApplied = answer.results.filter((r) => r.status !== 'applied');
    if (notApplied.length) throw new Error(`push: ${JSON.stringify(notApplied[0])}`);
  }
}

export async function runSyncBench() {
  const server = startTestPostgres();
  const sink = createServer((request, response) => {
    request.on('data', () => undefined);
    request.on('end', () => response.end('{}'));
  });
  try {
    const dbUrl = await createDatabase(server.url, 'bench_sync');
    const app = await buildHub({ db: { kind: 'postgres', url: dbUrl } });
    const hubUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
    try {
      // Accounts: a lead, the desks' specialists (one password hash, copied), a case system's key.
      const team = await accounts.createTeam(app.db, '送达一组');
      const lead = await accounts.createUser(app.db, {
        username: 'bench.lead',
        displayName: '王组长',
        role: 'lead',
        teamId: team.id,
        password: 'bench-password-2026',
      });
      const desks: Desk[] = [];
      for (let i = 0; i < DESKS + 2; i += 1) {
        const id = uuidv7();
        await sql.query(
          `INSERT INTO users (id, username, display_name, role, team_id, password_hash)
           SELECT $1, $2, $3, 'specialist', $4, password_hash FROM users WHERE id = $5`,
          [id, `bench.desk${i}`, `专员${i}`, team.id, lead.id],
        );
        const { token } = await accounts.createSession(app.db, id, 600);
        desks.push({ userId: id, token, clientId: uuidv7(), taskIds: [], mutationId: 0 });
      }
      const leadToken = (await accounts.createSession(app.db, lead.id, 600)).token;
      const { key } = await accounts.issueApiKey(app.db, 'bench-cms', team.id);
      const leadClient = createHubClient({ baseUrl: hubUrl, fetch: fetchLike, token: leadToken });

      // intakePerSec: the case system's one-click orders, 1,000 tasks a request.
      const intakeTasks = generateDemoTasks({ count: INTAKE_TASKS, today: TODAY, idPrefix: 'BENCH-' });
      const caseSystem = createHubClient({ baseUrl: hubUrl, fetch: fetchLike, apiKey: key });
      const taskIds: string[] = [];
      const intake = await timeMs(async () => {
        for (let i = 0; i < intakeTasks.length; i += INTAKE_BATCH) {
          const answer: IntakeResponse = await caseSystem.intake(intakeTasks.slice(i, i + INTAKE_BATCH));
          taskIds.push(...answer.taskIds);
        }
      });
      if (taskIds.length !== INTAKE_TASKS) throw new Error(`intake created ${taskIds.length} tasks`);

      // Hand tasks to the desks (set-up, not measured): the pusher 1,000, the outage desk 100,
      // each load desk 5.
      const [pusher, outageDesk, ...loadDesks] = desks as [Desk, Desk, ...Desk[]];
      let next = 0;
      const give = (desk: Desk, count: number) => {
        desk.taskIds = taskIds.slice(next, next + count);
        next += count;
      };
      give(pusher, 1_000);
      give(outageDesk, 100);
      for (const desk of loadDesks) give(desk, 5);
      for (const desk of desks) {
        await sql.query(
          `WITH given AS (UPDATE tasks SET assignee_id = $1, status = 'assigned' WHERE id = ANY($2::uuid[]) RETURNING id)
           INSERT INTO task_holders (task_id, user_id) SELECT id, $1 FROM given`,
          [desk.userId, desk.taskIds],
        );
      }

      // pushRatio: 10,000 queued attempts through POST /sync/push against the same rows
      // (facts, sync_results, changes) inserted raw into the same database.
      const pushClient = createHubClient({ baseUrl: hubUrl, fetch: fetchLike, token: pusher.token });
      const pushOps = Array.from({ length: PUSH_OPERATIONS }, (_, i) =>
        attempt(pusher, pusher.taskIds[i % pusher.taskIds.length]!),
      );
      const push = await timeMs(() => pushAll(pushClient, pusher, pushOps));
      const raw = await rawPushRows(sql, pusher, team.id, PUSH_OPERATIONS);
      if (PUSH_ONLY) {
        const figures = {
          pushMs: round(push.ms),
          rawInsertMs: round(raw.ms),
          pushRatio: round(raw.ms / push.ms, 3),
        };
        console.log(`sync (push only, not written): ${JSON.stringify(figures)}`);
        return null;
      }

      // pullP50Ms / pullP99Ms / errors: 200 desks pulling every 2 s, pushing now and then.
      const load = await desksUnderLoad(hubUrl, loadDesks, LOAD_SECONDS * 1000);

      // outageRatio: 2,000 operations and 50 recordings of 1 MB after an outage, until all is on
      // the hub, against the same bytes sent raw in one stream to a sink on the same loopback.
      const outage = await outageSync(hubUrl, outageDesk);
      await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
      const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
      const rawTransfer = await timeMs(() =>
        fetch(sinkUrl, { method: 'PUT', body: new Uint8Array(outage.bytes) }).then((r) => r.text()),
      );

      // leadPageP95Ms / bulkReassignMs at LEAD_TASKS tasks in the team.
      const lead1M = await leadConsole(sql, leadClient, team.id, desks, LEAD_TASKS);

      return {
        postgres: (await sql.query<{ v: string }>('SHOW server_version')).rows[0]!.v,
        pushOperations: PUSH_OPERATIONS,
        pushMs: round(push.ms),
        rawInsertMs: round(raw.ms),
        pushRatio: round(raw.ms / push.ms, 3),
        desks: loadDesks.length,
        loadSeconds: LOAD_SECONDS,
        pulls: load.pulls,
        pushesDuringLoad: load.pushes,
        pullP50Ms: round(percentile(load.latencies, 50)),
        pullP99Ms: round(percentile(load.latencies, 99)),
        errors: load.errors,
        outageOperations: OUTAGE_OPERATIONS + OUTAGE_RECORDINGS,
        outageRecordings: OUTAGE_RECORDINGS,
        outageBytes: outage.bytes.byteLength,
        outageSyncMs: round(outage.ms),
        rawTransferMs: round(rawTransfer.ms),
        outageRatio: round(outage.ms / rawTransfer.ms, 2),
        intakeTasks: INTAKE_TASKS,
        intakeMs: round(intake.ms),
        intakePerSec: Math.round(INTAKE_TASKS / (intake.ms / 1000)),
        leadTasks: lead1M.tasks,
        leadPageSamples: lead1M.samples,
        leadPageP50Ms: lead1M.p50,
        leadPageP95Ms: lead1M.p95,
        leadPageP95ByFilter: lead1M.byFilter,
        bulkReassignTasks: BULK_REASSIGN,
        bulkReassignMs: lead1M.bulkReassignMs,
      };
    } finally {
      await sql.end();
      await app.close();
    }
  } finally {
    sink.close();
    server.stop();
  }
}

/**
 * The baseline of pushRatio: the rows a push of `count` attempts writes — a fact, its result and
 * its change — inserted with bare parameterised INSERTs in one transaction, on the same tables.
 */
async function rawPushRows(sql: pg.Pool, desk: Desk, teamId: string, count: number) {
  const client = await sql.connect();
  try {
    const clientId = uuidv7();
    await client.query('INSERT INTO sync_clients (client_id, user_id) VALUES ($1, $2)', [
      clientId,
      desk.userId,
    ]);
    const rows = Array.from({ length: count }, (_, i) => ({
      factId: uuidv7(),
      opId: uuidv7(),
      taskId: desk.taskIds[i % desk.taskIds.length]!,
      body: JSON.stringify({ disposition: 'no_answer', notes: 'bench', callbackAt: null, phoneMasked: null }),
      result: JSON.stringify({ mutationId: i + 1, status: 'applied' }),
    }));
    return await timeMs(async () => {
      await client.query('BEGIN');
      for (const [i, row] of rows.entries()) {
        await client.query(
          `INSERT INTO facts (id, task_id, kind, author_id, client_id, body) VALUES ($1, $2, 'attempt', $3, $4, $5)`,
          [row.factId, row.taskId, desk.userId, clientId, row.body],
        );
        await client.query(
          'INSERT INTO sync_results (client_id, mutation_id, op_id, result) VALUES ($1, $2, $3, $4)',
          [clientId, i + 1, row.opId, row.result],
        );
        await client.query('INSERT INTO changes (team_id, task_id) VALUES ($1, $2)', [teamId, row.taskId]);
      }
      await client.query('COMMIT');
    });
  } finally {
    client.release();
  }
}

/** Each desk pulls every 2 s (first at a random moment of the first 2 s) and pushes one attempt every fifth round. */
async function desksUnderLoad(hubUrl: string, desks: Desk[], durationMs: number) {
  const latencies: number[] = [];
  let errors = 0;
  let pulls = 0;
  let pushes = 0;
  const end = performance.now() + durationMs;
  const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
  await Promise.all(
    desks.map(async (desk, index) => {
      const client = createHubClient({ baseUrl: hubUrl, fetch: fetchLike, token: desk.token });
      let cursor = INITIAL_CURSOR;
      await sleep(Math.random() * PULL_EVERY_MS);
      for (let round = 0; performance.now() < end; round += 1) {
        const started = performance.now();
        try {
          if ((round + index) % 5 === 4) {
            const answer = await client.push(desk.clientId, [attempt(desk, desk.taskIds[round % 5]!)]);
            if (answer.results[0]?.status !== 'applied') errors += 1;
            pushes += 1;
          }
          const pullStarted = performance.now();
          let page = PullResponse.parse(await client.pull(cursor));
          while (page.more) page = await client.pull(page.cursor);
          cursor = page.cursor;
          latencies.push(performance.now() - pullStarted);
          pulls += 1;
        } catch {
          errors += 1;
        }
        await sleep(Math.max(0, PULL_EVERY_MS - (performance.now() - started)));
      }
    }),
  );
  return { latencies, errors, pulls, pushes };
}

/**
 * A desk back from an outage: its 50 recordings uploaded (HEAD, then PATCH 1 MiB chunks, as the
 * desk's blob uploads do) and its 2,000 attempts plus the 50 recording facts pushed in the desk's
 * batches. Answers the time and the bytes that travelled (for the raw transfer).
 */
async function outageSync(hubUrl: string, desk: Desk) {
  const client = createHubClient({ baseUrl: hubUrl, fetch: fetchLike, token: desk.token });
  const recordings = Array.from({ length: OUTAGE_RECORDINGS }, () => randomBytes(RECORDING_BYTES));
  const ops: SyncOperationInput[] = Array.from({ length: OUTAGE_OPERATIONS }, (_, i) =>
    attempt(desk, desk.taskIds[i % desk.taskIds.length]!),
  );
  const shas = recordings.map((bytes) => createHash('sha256').update(bytes).digest('hex'));
  for (const [i, sha256] of shas.entries()) {
    desk.mutationId += 1;
    ops.push({
      type: 'fact.record',
      kind: 'recording',
      opId: uuidv7(),
      mutationId: desk.mutationId,
      taskId: desk.taskIds[i % desk.taskIds.length]!,
      factId: uuidv7(),
      body: { sha256, bytes: RECORDING_BYTES, mimeType: 'audio/webm' },
    });
  }
  const bytes = Buffer.concat([...recordings, Buffer.from(JSON.stringify(ops))]);
  const { ms } = await timeMs(async () => {
    await pushAll(client, desk, ops);
    for (const [i, sha256] of shas.entries()) await client.uploadBlob(sha256, recordings[i]!);
  });
  for (const sha256 of shas) {
    const state = await client.blobState(sha256);
    if (!state.present) throw new Error(`blob ${sha256} is not on the hub after the sync`);
  }
  return { ms, bytes };
}

/**
 * The team's tasks up to `total` by one set-based INSERT … SELECT generate_series, then the lead's
 * queue and a bulk move. The tasks are a center's history: a quarter open (5% in the team pool,
 * the rest with the 202 specialists; 1% of the open ones past the retry limit, not yet escalated),
 * three quarters delivered, proven or closed.
 */
async function leadConsole(
  sql: pg.Pool,
  lead: ReturnType<typeof createHubClient>,
  teamId: string,
  desks: Desk[],
  total: number,
) {
  const have = Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM tasks')).rows[0]!.n);
  const missing = Math.max(0, total - have);
  // The intake document of a generated task is a copy of a real one (its content does not matter here).
  await sql.query(
    `INSERT INTO tasks (id, team_id, assignee_id, source_system, source_task_id, case_number, court,
                        party_name, intake, method, status, priority, deadline, attempts, unanswered,
                        last_attempt_at, callback_at, completed_after_reassignment, created_at, updated_at)
     SELECT gen_random_uuid(), $1,
            CASE WHEN g % 20 = 0 THEN NULL ELSE ($2::uuid[])[1 + g % array_length($2::uuid[], 1)] END,
            'bench-gen', 'G' || g, '（2026）京0105民初' || g || '号', '北京市朝阳区人民法院',
            '张' || chr(19968 + g % 20000) || chr(19968 + (g / 7) % 20000),
            (SELECT intake FROM tasks LIMIT 1),
            CASE WHEN g % 7 = 0 THEN 'postal' ELSE 'electronic' END,
            CASE g % 20 WHEN 0 THEN 'new' WHEN 1 THEN 'assigned' WHEN 2 THEN 'assigned' WHEN 3 THEN 'in_progress'
                        WHEN 4 THEN 'postal_pending' WHEN 5 THEN 'delivered' WHEN 6 THEN 'postal_delivered'
                        WHEN 7 THEN 'closed' ELSE 'proof_issued' END,
            CASE WHEN g % 50 = 0 THEN 'urgent' ELSE 'normal' END,
            DATE '2026-12-01' + (g % 60 - 20),
            g % 4 + 1,
            -- The retry policy escalates a task at 3 unanswered: few open ones are still due.
            CASE WHEN g % 20 < 5 AND g % 101 <> 0 THEN g % 3 ELSE g % 4 END,
            CASE WHEN g % 3 = 0 THEN now() - make_interval(hours => g % 200) END,
            CASE WHEN g % 97 = 0 THEN now() - make_interval(hours => g % 48 - 24) END,
            g % 997 = 0,
            now() - make_interval(secs => g), now()
       FROM generate_series(1, $3::int) AS g`,
    [teamId, desks.map((d) => d.userId), missing],
  );
  // A hub in service: autovacuum has run (visibility map set, statistics fresh).
  await sql.query('VACUUM ANALYZE tasks');
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < LEAD_ROUNDS; round += 1) {
    for (const filter of LEAD_QUEUE_FILTERS) {
      const { ms } = await timeMs(() => lead.leadQueue({ filter, limit: 50 }));
      (samples[filter] ??= []).push(ms);
    }
  }
  const all = Object.values(samples).flat();
  const byFilter = Object.fromEntries(
    Object.entries(samples).map(([filter, ms]) => [filter, round(percentile(ms, 95))]),
  );
  const pool = (
    await sql.query<{ id: string }>(
      `SELECT id FROM tasks WHERE team_id = $1 AND assignee_id IS NULL AND status = 'new' LIMIT $2`,
      [teamId, BULK_REASSIGN],
    )
  ).rows.map((r) => r.id);
  const bulk = await timeMs(() =>
    lead.reassign({ taskIds: pool, assigneeId: desks[0]!.userId, reason: 'bench: bulk reassign' }),
  );
  if (bulk.value.updated !== BULK_REASSIGN) throw new Error(`bulk reassign updated ${bulk.value.updated}`);
  return {
    tasks: have + missing,
    samples: all.length,
    p50: round(percentile(all, 50)),
    p95: round(percentile(all, 95)),
    byFilter,
    bulkReassignMs: round(bulk.ms),
  };
}
