import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { createAuditLog } from './auditLog';
import { createIntakeWriter } from './intakeWriter';
import { auditExcerptBlob, createAuditExcerptBuilder } from './auditExcerpt';
import { createHash } from 'node:crypto';
import { runChunkedImport } from '../intake/chunkedImport';
import { hashAuditEvent } from '../../common/audit/chain';
import { verifyAuditExcerpt, type AuditExcerpt, type ExcerptEntry } from '../../common/audit/excerpt';

// The excerpt of one task from a real SQLite chain: three tasks imported in one batch, then their
// events interleaved, as on a working desk.
const CSV = [
  '来源编号,案号,法院,当事人,证件号码,联系电话,送达文书,送达期限',
  'T1,(2026)内0303民初1001号,乌海市海南区人民法院,张三,,13812345678,传票,2026-11-23',
  'T2,(2026)内0303民初1002号,乌海市海南区人民法院,李四,,13900001111,传票,2026-11-20',
  'T3,(2026)内0303民初1003号,乌海市海南区人民法院,王五,,13900002222,传票,2026-12-30',
].join('\n');

const db = openDatabase(':memory:');
const audit = createAuditLog(db);
const builder = createAuditExcerptBuilder(db);

function append(taskId: number, type: string, data: Record<string, unknown> = {}) {
  return db.transaction(() =>
    audit.append({ at: '2026-11-23T02:00:00.000Z', actor: '王敏', type, taskId, data }),
  )();
}

let proofHead: string;
let proofEvent: { seq: number; at: string };

beforeAll(async () => {
  await runChunkedImport(createIntakeWriter(db, audit), Buffer.from(CSV), {
    importId: 'import-1',
    fileName: 'tasks.csv',
    startedAt: '2026-11-23T01:00:00.000Z',
    actor: 'cli',
  });
  append(2, 'call.started');
  append(1, 'call.started', { number: '13812345678' });
  append(3, 'call.started');
  append(1, 'call.ended', { disposition: 'consented' });
  append(2, 'call.ended');
  const last = append(1, 'task.delivered');
  proofHead = last.hash;
  proofEvent = { seq: last.seq, at: last.at };
  append(3, 'call.ended');
});

const excerpt = (): AuditExcerpt => builder.build(1, proofHead);
const withEntries = (e: AuditExcerpt, entries: ExcerptEntry[]): AuditExcerpt => ({ ...e, entries });

describe('audit excerpt', () => {
  it('gives the task’s events whole, the others as hashes, from its intake event to the head', () => {
    const e = excerpt();
    const whole = e.entries.filter((x) => x.event);
    expect(e.entries[0]!.seq).toBe(e.intakeEventSeq);
    expect(whole.map((x) => x.event!.type)).toEqual([
      'intake.chunk',
      'call.started',
      'call.ended',
      'task.delivered',
    ]);
    const others = e.entries.filter((x) => !x.event);
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(Object.keys(o).sort()).toEqual(['hash', 'prevHash', 'seq']);
    expect(e.head).toEqual({ seq: proofEvent.seq, hash: proofHead });
    const verdict = verifyAuditExcerpt(JSON.parse(JSON.stringify(e)), {
      headHash: proofHead,
      taskEventSeq: proofEvent.seq,
    });
    expect(verdict).toMatchObject({ ok: true, taskId: 1, head: { hash: proofHead } });
    expect(verdict.ok && verdict.taskEvents.map((t) => t.seq)).toEqual(whole.map((x) => x.seq));
  });

  it('travels as a JSON blob named by its SHA-256, and reads back whole', () => {
    const blob = auditExcerptBlob(excerpt());
    expect(blob.sha256).toBe(createHash('sha256').update(blob.bytes).digest('hex'));
    expect(
      verifyAuditExcerpt(JSON.parse(blob.bytes.toString('utf8')), { headHash: proofHead }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('ends at the head now by default', () => {
    const e = builder.build(1);
    expect(e.head).toEqual(audit.head());
    expect(verifyAuditExcerpt(e)).toMatchObject({ ok: true });
  });

  it('refuses an altered event', () => {
    const e = excerpt();
    const entries = e.entries.map((x) =>
      x.event?.type === 'call.ended' ? { ...x, event: { ...x.event, data: { disposition: 'refused' } } } : x,
    );
    expect(verifyAuditExcerpt(withEntries(e, entries))).toMatchObject({ ok: false, problem: 'altered' });
  });

  it('refuses an event inserted, whether later events keep their numbers or are renumbered', () => {
    const e = excerpt();
    const at = e.entries.findIndex((x) => x.event?.type === 'call.ended');
    const before = e.entries[at - 1]!;
    const body = {
      seq: before.seq + 1,
      at: '2026-11-23T02:00:00.000Z',
      actor: '王敏',
      type: 'note',
      taskId: 1,
      data: {},
    };
    const forged: ExcerptEntry = {
      seq: body.seq,
      prevHash: before.hash,
      hash: hashAuditEvent(before.hash, body),
      event: { at: body.at, actor: body.actor, type: body.type, taskId: 1, data: {} },
    };
    const kept = [...e.entries.slice(0, at), forged, ...e.entries.slice(at)];
    expect(verifyAuditExcerpt(withEntries(e, kept))).toMatchObject({ ok: false, problem: 'inserted' });
    // Renumbering the hash-only events after it keeps the seqs continuous: the link still breaks.
    const renumbered = [
      ...e.entries.slice(0, at),
      forged,
      ...e.entries.slice(at).map((x) => ({ ...x, seq: x.seq + 1, event: undefined })),
    ];
    expect(verifyAuditExcerpt(withEntries(e, renumbered))).toMatchObject({
      ok: false,
      problem: 'inserted',
      seq: forged.seq,
    });
  });

  it('refuses a removed event, the task’s own or another’s', () => {
    const e = excerpt();
    const own = e.entries.findIndex((x) => x.event?.type === 'call.started');
    const other = e.entries.findIndex((x) => !x.event);
    for (const i of [own, other]) {
      const entries = e.entries.filter((_, j) => j !== i);
      expect(verifyAuditExcerpt(withEntries(e, entries))).toMatchObject({ ok: false, problem: 'removed' });
    }
  });

  it('refuses a wrong head: another head than the proof’s, or a cut-off excerpt', () => {
    const e = excerpt();
    expect(verifyAuditExcerpt(e, { headHash: 'f'.repeat(64) })).toMatchObject({
      ok: false,
      problem: 'wrong_head',
    });
    expect(verifyAuditExcerpt(withEntries(e, e.entries.slice(0, -1)))).toMatchObject({
      ok: false,
      problem: 'wrong_head',
    });
  });

  it('refuses an excerpt that hides the proof’s audit event or shows another task’s event', () => {
    const e = excerpt();
    const ended = e.entries.find((x) => x.event?.type === 'call.ended')!.seq;
    const hidden = e.entries.map((x) => (x.seq === ended ? { ...x, event: undefined } : x));
    expect(verifyAuditExcerpt(withEntries(e, hidden), { taskEventSeq: ended })).toMatchObject({
      ok: false,
      problem: 'task_event_missing',
    });
    // The head itself may be the proof's position (the desk states the chain's head), whoever's it is.
    const now = builder.build(1);
    expect(verifyAuditExcerpt(now, { taskEventSeq: now.head.seq })).toMatchObject({ ok: true });
    expect(verifyAuditExcerpt({ ...e, taskId: 2 })).toMatchObject({ ok: false, problem: 'foreign' });
    expect(verifyAuditExcerpt({ ...e, format: 'other' })).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('shows a change made in the database itself', () => {
    const target = excerpt().entries.find((x) => x.event?.type === 'call.started')!;
    db.prepare(`UPDATE audit_events SET data = '{"number":"13900009999"}' WHERE seq = ?`).run(target.seq);
    expect(verifyAuditExcerpt(excerpt())).toMatchObject({ ok: false, problem: 'altered', seq: target.seq });
  });
});
