import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { createAuditLog } from './auditLog';
import { GENESIS_HASH } from '../../common/audit/chain';

function chainOf(n: number) {
  const db = openDatabase(':memory:');
  const audit = createAuditLog(db);
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      audit.append({
        at: `2026-11-22T10:00:0${i % 10}.000Z`,
        actor: 'tester',
        type: 'test.event',
        taskId: i,
        data: { i, text: '张三' },
      });
    }
  })();
  return { db, audit };
}

describe('audit chain', () => {
  it('links every event to the one before it and verifies', () => {
    const { db, audit } = chainOf(5);
    const rows = db.prepare('SELECT seq, prev_hash, hash FROM audit_events ORDER BY seq').all() as {
      seq: number;
      prev_hash: string;
      hash: string;
    }[];
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(audit.verify()).toEqual({ ok: true, count: 5, head: rows[4]!.hash });
  });

  it('refuses to append outside a transaction', () => {
    const { audit } = chainOf(0);
    expect(() => audit.append({ at: 'x', actor: 'a', type: 't', taskId: null, data: {} })).toThrow(
      /transaction/,
    );
  });

  it('reports the first altered event', () => {
    const { db, audit } = chainOf(5);
    db.prepare(`UPDATE audit_events SET data = '{"i":3,"text":"李四"}' WHERE seq = 3`).run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 3, problem: 'altered' });
  });

  it('reports a removed event', () => {
    const { db, audit } = chainOf(5);
    db.prepare('DELETE FROM audit_events WHERE seq = 2').run();
    expect(audit.verify()).toMatchObject({ ok: false, seq: 3, problem: 'removed' });
  });

  it('reports a removed last-but-renumbered event as a broken link', () => {
    const { db, audit } = chainOf(5);
    db.prepare('DELETE FROM audit_events WHERE seq = 5').run();
    // Removing the newest event leaves a valid shorter chain: the head it reports changes, which is
    // what receipts citing the head detect.
    const verdict = audit.verify();
    expect(verdict).toMatchObject({ ok: true, count: 4 });
  });

  it('reports an event inserted between two others', () => {
    const { db, audit } = chainOf(5);
    // Forge: shift events 3..5 up by one and slip a correctly hashed event in at 3.
    const events = db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Record<string, unknown>[];
    db.prepare('DELETE FROM audit_events WHERE seq >= 3').run();
    db.transaction(() => {
      audit.append({
        at: '2026-11-22T10:00:00.000Z',
        actor: 'forger',
        type: 'test.event',
        taskId: 9,
        data: {},
      });
    })();
    const insert = db.prepare(
      'INSERT INTO audit_events VALUES (@seq, @at, @actor, @type, @task_id, @data, @prev_hash, @hash)',
    );
    for (const e of events.slice(2)) insert.run({ ...e, seq: (e.seq as number) + 1 });
    // The shifted events' hashes cover their old seq, so the first of them no longer matches.
    const verdict = audit.verify();
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.seq).toBe(4);
  });
});
