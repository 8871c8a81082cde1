import { describe, expect, it } from 'vitest';
import { openDesk } from '../app/openDesk';
import { clockStartingAt, queueClock } from '../app/clock';
import { openDatabase } from './database';
import { createQueueQueries } from './queueQueries';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASK_STATUSES, METHODS } from '../../common/domain/model';

const NOW = '2026-11-23T10:00:00+08:00';

/** A demo database with tasks in every family of states, plus direct SQL to check the queue against. */
async function demoDb() {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'queue-')), 'desk.sqlite');
  const desk = openDesk({ dataDir: '', dbPath, clock: clockStartingAt(NOW) });
  await desk.dispatch('demoLoad', {});
  // Move a few more tasks so the triggers see updates as well as inserts.
  for (const taskId of [1, 14, 27])
    await desk.dispatch('callOutcome', { taskId, disposition: 'consent_refused' });
  desk.close();
  const db = openDatabase(dbPath);
  return { db, queue: createQueueQueries(db), clock: queueClock(clockStartingAt(NOW), 'Asia/Shanghai') };
}

describe('queue queries', () => {
  it('totals from the trigger-kept counts equal a direct count for every filter', async () => {
    const { db, queue, clock } = await demoDb();
    const direct = (where: string, params: object = {}) =>
      (db.prepare(`SELECT count(*) AS n FROM tasks WHERE ${where}`).get(params) as { n: number }).n;
    const cases: [object, number][] = [
      [{}, direct('1')],
      [{ due: 'today' }, direct('open = 1 AND deadline = @today', clock)],
      [{ due: 'overdue' }, direct('open = 1 AND deadline < @today', clock)],
      [{ due: 'callbacks' }, direct('open = 1 AND callback_at <= @endOfToday', clock)],
      ...TASK_STATUSES.map((status): [object, number] => [
        { status },
        direct('status = @status', { status }),
      ]),
      ...METHODS.map((method): [object, number] => [{ method }, direct('method = @method', { method })]),
      [
        { status: 'postal_pending', due: 'overdue' },
        direct("status = 'postal_pending' AND open = 1 AND deadline < @today", clock),
      ],
    ];
    for (const [filter, expected] of cases) {
      for (const sort of ['deadline', 'priority'] as const) {
        const page = queue.page({ filter, sort, search: '', offset: 0, limit: 50 }, clock);
        expect({ filter, total: page.total }).toEqual({ filter, total: expected });
        expect(page.rows.length).toBe(Math.min(50, expected));
      }
    }
    expect(direct("status = 'postal_pending'")).toBeGreaterThan(0);
    const counts = queue.counts('', clock);
    expect(counts.all).toBe(direct('1'));
    expect(counts.overdue).toBe(direct('open = 1 AND deadline < @today', clock));
  });

  it('orders by deadline (none last) or by priority, and pages without overlap', async () => {
    const { queue, clock } = await demoDb();
    const first = queue.page({ filter: {}, sort: 'deadline', search: '', offset: 0, limit: 50 }, clock).rows;
    const second = queue.page(
      { filter: {}, sort: 'deadline', search: '', offset: 50, limit: 50 },
      clock,
    ).rows;
    const deadlines = [...first, ...second].map((r) => r.deadline ?? '9999');
    expect(deadlines).toEqual([...deadlines].sort());
    expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(100);
    const byPriority = queue.page(
      { filter: {}, sort: 'priority', search: '', offset: 0, limit: 50 },
      clock,
    ).rows;
    expect(byPriority[0]!.priority).toBe('urgent');
  });

  it('a search too short to match leaves the queue unfiltered, and a miss finds nothing', async () => {
    const { queue, clock } = await demoDb();
    const all = queue.page({ filter: {}, sort: 'deadline', search: '', offset: 0, limit: 1 }, clock).total;
    expect(queue.page({ filter: {}, sort: 'deadline', search: '王', offset: 0, limit: 1 }, clock).total).toBe(
      all,
    );
    expect(
      queue.page({ filter: {}, sort: 'deadline', search: '不存在的人名', offset: 0, limit: 1 }, clock).total,
    ).toBe(0);
  });
});
