import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import { createDeskHandlers } from '../api/deskService';
import { DEFAULT_CALLING_HOURS } from '../../common/domain/callingHours';
import { DEFAULT_RETRY_POLICY } from '../../common/domain/retryPolicy';
import { systemClock } from '../app/clock';
import { createAuditLog } from '../store/auditLog';
import { openDatabase } from '../store/database';
import { createIntakeWriter } from '../store/intakeWriter';
import { createCallStore } from '../store/callStore';
import { createQueueQueries } from '../store/queueQueries';
import { createTaskStore } from '../store/taskStore';
import { createOutbox } from './outbox';
import { createBlobUploads } from './blobUploads';
import { callRecordId } from './recordIds';
import { validateTaskInput } from '../../common/intake/validateTask';

// The outbox on a real SQLite database: rows are written in the transaction of the change (a
// refused change leaves none and uses no mutation id), local-only tasks write none, and the
// hub's answers drop applied rows and keep rejected ones with their code.

const HUB_TASK = '0190f7a0-0000-7000-8000-0000000000aa';

function setUp() {
  const db = openDatabase(':memory:');
  const audit = createAuditLog(db);
  const tasks = createTaskStore(db, audit);
  const intake = createIntakeWriter(db, audit);
  const rows = ['A', 'B'].map((id, index) => {
    const checked = validateTaskInput({ ...validTaskInput(), sourceTaskId: id });
    if (!checked.ok) throw new Error('fixture');
    return { row: index + 1, task: checked.task };
  });
  intake.writeRows(rows, {
    importId: 'test-rows',
    at: new Date().toISOString(),
    actor: 't',
    fileName: 'f',
    fileSha256: null,
  });
  db.prepare("UPDATE tasks SET hub_id = ? WHERE source_task_id = 'A'").run(HUB_TASK);
  const outbox = createOutbox(db, { currentUserId: () => 'user-1' });
  const handlers = createDeskHandlers({
    db,
    audit,
    tasks,
    intake,
    queue: createQueueQueries(db),
    clock: systemClock,
    config: {
      specialist: { id: 'hub:user-1', name: '张敏' },
      callerNumber: '1',
      timeZone: 'Asia/Shanghai',
      callingHours: DEFAULT_CALLING_HOURS,
      retryPolicy: DEFAULT_RETRY_POLICY,
    },
    emit: () => undefined,
    write: (fn) => db.transaction(fn).immediate(),
    calls: createCallStore(db),
    dialPrefixes: () => ({ mobile: '', landline: '' }),
    sync: outbox.recorder,
  });
  const idOf = (source: string) =>
    (db.prepare('SELECT id FROM tasks WHERE source_task_id = ?').get(source) as { id: number }).id;
  return { db, outbox, handlers, idOf, clientId: outbox.client('user-1').clientId };
}

describe('outbox', () => {
  it('an outcome on a hub task queues its transition and its attempt, in order, with the desk-made record id', () => {
    const { db, outbox, handlers, idOf, clientId } = setUp();
    const detail = handlers.callOutcome({
      taskId: idOf('A'),
      disposition: 'no_answer',
      notes: '无人接听',
      stepsCompleted: [],
    }) as { attempts: { id: number }[] };
    const rows = outbox.pending(clientId, 10);
    expect(rows.map((r) => [r.mutationId, r.kind])).toEqual([
      [1, 'event.start_work'],
      [2, 'attempt'],
    ]);
    const recordId = (
      db.prepare('SELECT record_id AS r FROM attempts WHERE id = ?').get(detail.attempts[0]!.id) as {
        r: string;
      }
    ).r;
    expect(rows[1]!.operation).toMatchObject({
      type: 'fact.record',
      taskId: HUB_TASK,
      factId: recordId,
      body: { disposition: 'no_answer', notes: '无人接听' },
    });
    expect(recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('a refused change writes no outbox row and uses no mutation id; a local-only task writes none', () => {
    const { outbox, handlers, idOf, clientId } = setUp();
    expect(() =>
      handlers.callOutcome({
        taskId: idOf('A'),
        attemptId: 999,
        disposition: 'no_answer',
        notes: '',
        stepsCompleted: [],
      }),
    ).toThrow(/not open/);
    expect(outbox.pending(clientId, 10)).toEqual([]);
    handlers.callOutcome({ taskId: idOf('B'), disposition: 'no_answer', notes: '', stepsCompleted: [] });
    expect(outbox.totals().n).toBe(0);
    handlers.callOutcome({ taskId: idOf('A'), disposition: 'busy', notes: '', stepsCompleted: [] });
    expect(outbox.pending(clientId, 10).map((r) => r.mutationId)).toEqual([1, 2]);
  });

  it('a call and a recording on a hub task queue their facts and the file; on a local task nothing', () => {
    const { db, idOf, clientId } = setUp();
    const blobs = createBlobUploads(db);
    const outbox = createOutbox(db, { currentUserId: () => 'user-1', blobs });
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const attemptId = uuidv7();
    const at = new Date().toISOString();
    const recordingOf = (source: string) => {
      const file = join(dir, `call-${source}.webm`);
      writeFileSync(file, `webm bytes ${source}`);
      const sha256 = createHash('sha256').update(`webm bytes ${source}`).digest('hex');
      return { file, body: { callId: callRecordId(attemptId), sha256, bytes: 12, mimeType: 'audio/webm' } };
    };
    const [onHub, onDesk] = [recordingOf('A'), recordingOf('B')];
    for (const [source, recording] of [
      ['A', onHub],
      ['B', onDesk],
    ] as const)
      db.transaction(() => {
        outbox.recorder.callEnded(idOf(source), { attemptId, answered: true, durationSeconds: 42 }, at);
        outbox.recorder.recordingFinalised(idOf(source), recording.body, recording.file, at);
      })();
    const rows = outbox.pending(clientId, 10);
    expect(rows.map((r) => [r.mutationId, r.kind])).toEqual([
      [1, 'call'],
      [2, 'recording'],
    ]);
    expect(rows[0]!.operation).toMatchObject({
      taskId: HUB_TASK,
      factId: callRecordId(attemptId),
      body: { attemptId, answered: true, durationSeconds: 42, sipCallId: null },
    });
    expect(rows[1]!.operation).toMatchObject({ body: { ...onHub.body, durationSeconds: null } });
    // The id of a call is the same whenever it is asked for, and another attempt's is another.
    expect(callRecordId(attemptId)).toBe(callRecordId(attemptId));
    expect(callRecordId(uuidv7())).not.toBe(callRecordId(attemptId));
    expect(blobs.totals()).toEqual({ n: 1, bytes: 12 });
    expect(blobs.state(onHub.body.sha256)).toMatchObject({ uploaded: 0, doneAt: null });
    expect(blobs.state(onDesk.body.sha256)).toBeNull();
  });

  it("settles the hub's answers: applied rows leave, rejected ones are kept with their code, deferred stay", () => {
    const { outbox, handlers, idOf, clientId } = setUp();
    handlers.callOutcome({ taskId: idOf('A'), disposition: 'no_answer', notes: '', stepsCompleted: [] });
    handlers.callOutcome({ taskId: idOf('A'), disposition: 'busy', notes: '', stepsCompleted: [] });
    const at = new Date().toISOString();
    outbox.settle(
      clientId,
      [
        { mutationId: 1, opId: null, status: 'applied' },
        { mutationId: 2, opId: null, status: 'rejected', code: 'forbidden', message: 'not yours' },
        { mutationId: 3, opId: null, status: 'deferred', message: 'later' },
      ],
      at,
    );
    expect(outbox.pending(clientId, 10).map((r) => r.mutationId)).toEqual([3]);
    expect(outbox.rejections()).toEqual([
      { mutationId: 2, taskId: idOf('A'), kind: 'attempt', code: 'forbidden', message: 'not yours', at },
    ]);
  });
});
