import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubApp } from '../app';
import type { DbTarget } from '../db/driver';
import { freshDbTarget, intake, intakeTask, seedWorld, startHub, type World } from '../test/hubFixture';
import { changedTasksAfter } from './changes';

// Concurrent writers need several connections at once: real PostgreSQL only (PGlite has one).

describe('hub: the pull cursor never skips a change (postgres)', () => {
  let app: HubApp;
  let world: World;
  let target: Extract<DbTarget, { kind: 'postgres' }>;
  let pool: pg.Pool;
  beforeAll(async () => {
    target = (await freshDbTarget()) as typeof target;
    app = await startHub(target);
    world = await seedWorld(app);
    pool = new pg.Pool({ connectionString: target.url, max: 30 });
  });
  afterAll(async () => {
    await pool.end();
    await app.close();
  });

  const newTasks = async (count: number) =>
    (
      await intake(
        app,
        world.keyA,
        Array.from({ length: count }, () => intakeTask()),
      )
    ).taskIds;
  const cursorNow = async () => {
    let cursor = '0:0';
    for (;;) {
      const page = await changedTasksAfter(app.db, world.leadA.user, cursor, 500);
      cursor = page.cursor;
      if (!page.more) return cursor;
    }
  };
  const pullFrom = (cursor: string) => changedTasksAfter(app.db, world.leadA.user, cursor, 500);
  const change = (client: pg.PoolClient, taskId: string) =>
    client.query<{ seq: string }>('INSERT INTO changes (team_id, task_id) VALUES ($1, $2) RETURNING seq', [
      world.teamA,
      taskId,
    ]);

  it('holds back a change committed before an earlier sequence value commits', async () => {
    const [first, second] = await newTasks(2);
    const start = await cursorNow();
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      const seqA = Number((await change(a, first!)).rows[0]!.seq);
      await b.query('BEGIN');
      const seqB = Number((await change(b, second!)).rows[0]!.seq);
      await b.query('COMMIT');
      expect(seqA).toBeLessThan(seqB); // B took the later number but committed first

      // A naive "seq > last" reader would answer B now and never see A.
      const early = await pullFrom(start);
      expect(early.taskIds).toEqual([]);
      await a.query('COMMIT');
      const late = await pullFrom(early.cursor);
      expect(late.taskIds).toEqual([first, second]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('answers a change of an older transaction after a newer one without skipping it', async () => {
    const [first, second] = await newTasks(2);
    const start = await cursorNow();
    const older = await pool.connect();
    const newer = await pool.connect();
    try {
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()'); // takes its transaction id now
      await newer.query('BEGIN');
      const seqNewer = Number((await change(newer, first!)).rows[0]!.seq);
      const seqOlder = Number((await change(older, second!)).rows[0]!.seq);
      await older.query('COMMIT');
      expect(seqNewer).toBeLessThan(seqOlder);
      // The older transaction is below every running one: its change is safe to answer now.
      const one = await pullFrom(start);
      expect(one.taskIds).toEqual([second]);
      await newer.query('COMMIT');
      // The newer one's change has a lower seq than the cursor, yet it is not skipped.
      const next = await pullFrom(one.cursor);
      expect(next.taskIds).toEqual([first]);
    } finally {
      older.release();
      newer.release();
    }
  });

  it('loses nothing while 40 writers commit in random order during continuous pulls', async () => {
    const taskIds = await newTasks(40);
    let cursor = await cursorNow();
    const seen = new Set<string>();
    let writing = true;
    const writers = taskIds.map(async (taskId, index) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await new Promise((resolve) => setTimeout(resolve, (index * 7) % 23));
        await change(client, taskId);
        await new Promise((resolve) => setTimeout(resolve, (index * 13) % 31));
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    const puller = (async () => {
      while (writing) {
        const page = await pullFrom(cursor);
        page.taskIds.forEach((id) => seen.add(id));
        cursor = page.cursor;
      }
    })();
    await Promise.all(writers);
    writing = false;
    await puller;
    const last = await pullFrom(cursor);
    last.taskIds.forEach((id) => seen.add(id));
    for (const id of taskIds) expect(seen.has(id)).toBe(true);
  });
});
