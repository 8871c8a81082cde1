import { describe, expect, it } from 'vitest';
import { openDesk } from '../app/openDesk';
import { clockStartingAt } from '../app/clock';
import type { Result } from '../../common/contract';
import type { DeskBackend } from './dispatcher';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';

// The service through its one entry point, on a real SQLite database. Monday 2026-11-23 10:00 in
// Shanghai is inside the default calling hours.
const MONDAY_10AM = '2026-11-23T10:00:00+08:00';

function csv(rows: string[]): string {
  return Buffer.from(
    ['来源编号,案号,法院,当事人,证件号码,联系电话,送达文书,送达期限', ...rows].join('\n'),
  ).toString('base64');
}
const ROWS = [
  'T1,(2026)内0303民初1001号,乌海市海南区人民法院,张三,11010519491231002X,138-1234-5678,传票;应诉通知书,2026-11-23',
  'T2,(2026)内0303民初1002号,乌海市海南区人民法院,欧阳娜娜,,13900001111,传票,2026-11-20',
  'T3,(2026)内0303民初1003号,乌海市海南区人民法院,李四,,0473-8123456转801,传票,2026-12-30',
];

/** What every report of an import that ran to its end says besides its counts. */
const ENDED = (rows: number) => ({
  importId: expect.any(String),
  cancelled: false,
  rowsProcessed: rows,
  totalRows: rows,
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function deskWithTasks(startIso = MONDAY_10AM): Promise<DeskBackend> {
  const desk = openDesk({
    dataDir: '',
    dbPath: ':memory:',
    clock: clockStartingAt(startIso),
    specialistName: '王敏',
  });
  value(await desk.dispatch('intakeImport', { fileName: 'tasks.csv', dataBase64: csv(ROWS) }));
  return desk;
}

const page = async (desk: DeskBackend, params: object) =>
  value(await desk.dispatch('queuePage', params)) as {
    total: number;
    rows: { id: number; partyName: string }[];
  };

describe('desk service', () => {
  it('imports, pages and counts the queue', async () => {
    const desk = await deskWithTasks();
    const all = await page(desk, {});
    expect(all.total).toBe(3);
    // Sorted by deadline: overdue T2 first.
    expect(all.rows.map((r) => r.partyName)).toEqual(['欧阳娜娜', '张三', '李四']);
    const counts = value(await desk.dispatch('queueCounts', {})) as Record<string, unknown>;
    expect(counts).toMatchObject({ all: 3, dueToday: 1, overdue: 1, callbacksDue: 0, byStatus: { new: 3 } });
  });

  it('searches by two-character name, phone in another format, case number and ID tail', async () => {
    const desk = await deskWithTasks();
    const names = async (search: string) => (await page(desk, { search })).rows.map((r) => r.partyName);
    expect(await names('张三')).toEqual(['张三']);
    expect(await names('娜娜')).toEqual(['欧阳娜娜']);
    expect(await names('+86 138 1234 5678')).toEqual(['张三']);
    expect(await names('１３９０００')).toEqual(['欧阳娜娜']);
    expect(await names('0473-8123456')).toEqual(['李四']);
    expect(await names('民初1002')).toEqual(['欧阳娜娜']);
    expect(await names('002X')).toEqual(['张三']);
    expect(await names('王五')).toEqual([]);
  });

  it('refuses a call outside calling hours with the reason, and writes nothing', async () => {
    const desk = await deskWithTasks('2026-11-23T23:00:00+08:00');
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as {
      party: { phones: { id: number }[] };
    };
    const refused = await desk.dispatch('callStart', { taskId: 1, phoneId: task.party.phones[0]!.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!refused.ok) {
      expect(refused.error.message).toMatch(/calling hours/);
      expect(refused.error.details).toMatchObject({
        rule: 'calling_hours',
        nextAllowedAt: '2026-11-24T00:30:00.000Z',
      });
    }
    const after = value(await desk.dispatch('taskGet', { taskId: 1 })) as {
      status: string;
      attempts: unknown[];
    };
    expect(after.status).toBe('new');
    expect(after.attempts).toHaveLength(0);
  });

  it('walks a call: no answer, then a callback the party asked for', async () => {
    const desk = await deskWithTasks();
    const detail = value(await desk.dispatch('taskGet', { taskId: 1 })) as {
      party: { phones: { id: number }[] };
    };
    const phoneId = detail.party.phones[0]!.id;
    const started = value(await desk.dispatch('callStart', { taskId: 1, phoneId })) as { attemptId: number };
    const afterNoAnswer = value(
      await desk.dispatch('callOutcome', {
        taskId: 1,
        attemptId: started.attemptId,
        disposition: 'no_answer',
        stepsCompleted: ['identity'],
      }),
    ) as {
      status: string;
      nextAttemptAt: string;
      attempts: { disposition: string; stepsCompleted: string[] }[];
    };
    expect(afterNoAnswer.status).toBe('in_progress');
    expect(afterNoAnswer.nextAttemptAt.startsWith('2026-11-23T02:30:00')).toBe(true);
    expect(afterNoAnswer.attempts[0]).toMatchObject({
      disposition: 'no_answer',
      stepsCompleted: ['identity'],
    });

    // Retry spacing: calling again at once is refused.
    expect(await desk.dispatch('callStart', { taskId: 1, phoneId })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });

    const callback = '2026-11-24T10:00:00+08:00';
    const afterCallback = value(
      await desk.dispatch('callOutcome', {
        taskId: 1,
        phoneId,
        disposition: 'callback_requested',
        callbackAt: callback,
        notes: '明天上午再打',
      }),
    ) as { callbackAt: string; attempts: unknown[]; timeline: { type: string }[] };
    expect(afterCallback.callbackAt).toBe('2026-11-24T02:00:00.000Z');
    expect(afterCallback.attempts).toHaveLength(2);
    expect(afterCallback.timeline.map((e) => e.type)).toContain('call.outcome');
  });

  it('consent moves the task to consented; refusal escalates to postal', async () => {
    const desk = await deskWithTasks();
    const consented = value(
      await desk.dispatch('callOutcome', { taskId: 1, disposition: 'connected_consented' }),
    ) as { status: string };
    expect(consented.status).toBe('consented');
    const refused = value(
      await desk.dispatch('callOutcome', { taskId: 2, disposition: 'consent_refused' }),
    ) as { status: string; method: string };
    expect(refused).toMatchObject({ status: 'postal_pending', method: 'postal' });
    // A call outcome no longer applies to a postal task.
    expect(await desk.dispatch('callOutcome', { taskId: 2, disposition: 'no_answer' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
  });

  it('wrong party marks the number invalid; the number can no longer be called', async () => {
    const desk = await deskWithTasks();
    const detail = value(await desk.dispatch('taskGet', { taskId: 1 })) as {
      party: { phones: { id: number }[] };
    };
    const phoneId = detail.party.phones[0]!.id;
    const after = value(
      await desk.dispatch('callOutcome', { taskId: 1, phoneId, disposition: 'wrong_party' }),
    ) as {
      party: { phones: { invalid: boolean }[] };
    };
    expect(after.party.phones[0]!.invalid).toBe(true);
    expect(await desk.dispatch('callStart', { taskId: 1, phoneId })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
  });

  it('masks personal data and audits each reveal', async () => {
    const desk = await deskWithTasks();
    const detail = value(await desk.dispatch('taskGet', { taskId: 1 })) as {
      party: { idNumberMasked: string; phones: { id: number; masked: string }[] };
    };
    expect(detail.party.idNumberMasked).toBe('110***********002X');
    expect(detail.party.phones[0]!.masked).toBe('138****5678');
    expect(value(await desk.dispatch('taskReveal', { taskId: 1, field: 'idNumber' }))).toEqual({
      value: '11010519491231002X',
    });
    const after = value(await desk.dispatch('taskGet', { taskId: 1 })) as {
      timeline: { type: string; data: unknown }[];
    };
    expect(after.timeline[0]).toMatchObject({ type: 'pii.revealed', data: { field: 'idNumber' } });
  });

  it('answers bad input with a clear error and changes nothing', async () => {
    const desk = await deskWithTasks();
    const before = value(await desk.dispatch('taskGet', { taskId: 1 }));
    expect(await desk.dispatch('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await desk.dispatch('callOutcome', { taskId: 1, disposition: 'maybe' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(
      await desk.dispatch('callOutcome', { taskId: 1, disposition: 'no_answer', extra: 1 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(
      await desk.dispatch('callOutcome', { taskId: 1, disposition: 'callback_requested' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    expect(await desk.dispatch('taskGet', { taskId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(value(await desk.dispatch('taskGet', { taskId: 1 }))).toEqual(before);
  });

  it('re-importing the same file creates nothing and reports duplicates', async () => {
    const desk = await deskWithTasks();
    const again = value(
      await desk.dispatch('intakeImport', { fileName: 'tasks.csv', dataBase64: csv(ROWS) }),
    );
    expect(again).toEqual({
      ...ENDED(3),
      accepted: 0,
      duplicates: [1, 2, 3],
      rejected: [],
    });
    expect((await page(desk, {})).total).toBe(3);
  });

  it('reports rejected rows with their reason code and params', async () => {
    const desk = await deskWithTasks();
    const report = value(
      await desk.dispatch('intakeImport', {
        fileName: 'bad.csv',
        dataBase64: csv([
          'T9,(2026)内0303民初1009号,乌海市海南区人民法院,赵六,110105194912310021,12345,传票,2026-12-01',
          'T10,(2026)内0303民初1010号',
        ]),
      }),
    );
    expect(report).toEqual({
      ...ENDED(2),
      accepted: 0,
      duplicates: [],
      rejected: [
        { row: 1, field: 'idNumber', code: 'id_check_digit', reason: 'check digit does not match' },
        {
          row: 1,
          field: 'phones',
          code: 'phone_invalid',
          reason: 'phone "12345": not a valid mobile or landline number',
          params: { phone: '12345' },
        },
        {
          row: 2,
          field: 'row',
          code: 'column_count',
          reason: 'row has 2 cells but the header has 8',
          params: { cells: 2, expected: 8 },
        },
      ],
    });
  });

  it('answers a whole-file problem as bad_file and imports nothing', async () => {
    const desk = await deskWithTasks();
    const result = await desk.dispatch('intakeImport', {
      fileName: 'x.json',
      dataBase64: Buffer.from('{not json').toString('base64'),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_file' } });
    expect((await page(desk, {})).total).toBe(3);
  });

  it('loads the demo set in varied states, every audit link intact', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'desk-')), 'desk.sqlite');
    const desk = openDesk({ dataDir: '', dbPath, clock: clockStartingAt(MONDAY_10AM) });
    expect(value(await desk.dispatch('demoLoad', {}))).toEqual({ accepted: 300 });
    const counts = value(await desk.dispatch('queueCounts', {})) as { byStatus: Record<string, number> };
    expect(Object.keys(counts.byStatus).length).toBeGreaterThanOrEqual(8);
    desk.close();
    const db = openDatabase(dbPath);
    expect(createAuditLog(db).verify()).toMatchObject({ ok: true });
    db.close();
  });
});
