import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesk } from '../app/openDesk';
import { clockStartingAt } from '../app/clock';
import { readRefusal, REFUSAL_CODES, type RefusalCode, type Result } from '../../common/contract';
import { CallingHoursSchema } from '../../common/domain/callingHours';
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
      expect(refused.error.details).toEqual({
        code: 'call_outside_hours',
        params: { windows: '08:30–12:00, 14:00–20:00', nextAllowedAt: '2026-11-24T00:30:00.000Z' },
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
    // As courts send them: some parties without an ID number.
    const blank = db.prepare("SELECT count(*) AS n FROM parties WHERE id_number = ''").get() as { n: number };
    expect(blank.n).toBeGreaterThan(10);
    expect(blank.n).toBeLessThan(100);
    db.close();
  });
});

describe('unknown IDs and extensions in the task view', () => {
  let desk: DeskBackend;
  beforeAll(async () => {
    desk = await deskWithTasks();
  });
  afterAll(() => desk.close());

  type Party = {
    idKnown: boolean;
    idNumberMasked: string;
    phones: { id: number; masked: string; extension: string | null }[];
  };
  const partyOf = async (taskId: number) =>
    (value(await desk.dispatch('taskGet', { taskId })) as { party: Party }).party;

  it('says whether the ID is known', async () => {
    expect(await partyOf(1)).toMatchObject({ idKnown: true, idNumberMasked: '110***********002X' });
    expect(await partyOf(2)).toMatchObject({ idKnown: false, idNumberMasked: '' });
  });

  it('keeps the extension beside the number; the queue keeps its masked number with extension', async () => {
    const party = await partyOf(3);
    expect(party.phones).toEqual([
      { id: party.phones[0]!.id, masked: '0473-***3456', kind: 'landline', extension: '801', invalid: false },
    ]);
    expect((await partyOf(1)).phones[0]).toMatchObject({ masked: '138****5678', extension: null });
    expect(
      value(await desk.dispatch('taskReveal', { taskId: 3, field: 'phone', phoneId: party.phones[0]!.id })),
    ).toEqual({ value: '0473-8123456' });
    const rows = (
      value(await desk.dispatch('queuePage', { search: '李四' })) as { rows: { phoneMasked: string }[] }
    ).rows;
    expect(rows.map((row) => row.phoneMasked)).toEqual(['0473-***3456 转801']);
  });

  it('asks for another identity check in the script when the ID is unknown', async () => {
    const identity = async (taskId: number, locale: 'zh-CN' | 'en') =>
      (
        value(await desk.dispatch('taskScript', { taskId, locale })) as { lines: string[]; notes: string[] }[]
      )[0]!;
    expect((await identity(1, 'zh-CN')).lines.join()).toContain('证件号码的后四位');
    const zh = await identity(2, 'zh-CN');
    expect(zh.lines.join()).not.toContain('后四位');
    expect(zh.lines.join()).toContain('住址');
    const en = await identity(2, 'en');
    expect(en.lines.join()).not.toContain('last four digits');
    expect(en.notes.join()).toContain('No ID number is on file');
  });
});

describe('every refusal answers its code and params', () => {
  // One desk on a real SQLite file for the suite; its clock is moved by the tests. Wednesday
  // 2026-11-25 is a closed date (a holiday) in its calling hours.
  let now = MONDAY_10AM;
  let desk: DeskBackend;
  let dbPath: string;
  const answered = new Set<string>();
  const phoneOf = async (taskId: number) =>
    (value(await desk.dispatch('taskGet', { taskId })) as { party: { phones: { id: number }[] } }).party
      .phones[0]!.id;

  beforeAll(async () => {
    dbPath = join(mkdtempSync(join(tmpdir(), 'desk-refusals-')), 'desk.sqlite');
    desk = openDesk({
      dataDir: '',
      dbPath,
      clock: { now: () => new Date(now) },
      callingHours: CallingHoursSchema.parse({ closedDates: ['2026-11-25'] }),
    });
    const rows = [...ROWS];
    for (let n = 4; n <= 9; n++) {
      rows.push(
        `T${n},(2026)内0303民初100${n}号,乌海市海南区人民法院,当事人${n},,1390000000${n},传票,2026-12-30`,
      );
    }
    value(await desk.dispatch('intakeImport', { fileName: 'tasks.csv', dataBase64: csv(rows) }));
  });
  afterAll(() => desk.close());

  /** The refusal's DeskError code, and its details exactly as the registry describes them. */
  async function refusal(name: string, params: object, code: RefusalCode) {
    const before = eventCount();
    const result = await desk.dispatch(name, params);
    if (result.ok) throw new Error(`${name} was not refused`);
    expect(result.error.code).toBe(REFUSAL_CODES[code].error);
    const details = readRefusal(result.error.details);
    expect(details?.code).toBe(code);
    // The English message stays for logs; the desk shows the code.
    expect(result.error.message.length).toBeGreaterThan(0);
    // A refusal changes nothing: no audit event, no attempt.
    expect(eventCount()).toBe(before);
    answered.add(code);
    return details!.params;
  }
  function eventCount(): number {
    const db = openDatabase(dbPath);
    try {
      const row = db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
      const attempts = db.prepare('SELECT count(*) AS n FROM attempts').get() as { n: number };
      return row.n * 1000 + attempts.n;
    } finally {
      db.close();
    }
  }

  it('not found: task, phone, an ID that is not on file', async () => {
    expect(await refusal('taskGet', { taskId: 999 }, 'task_not_found')).toEqual({ taskId: 999 });
    expect(await refusal('callStart', { taskId: 1, phoneId: 999 }, 'phone_not_found')).toEqual({
      taskId: 1,
      phoneId: 999,
    });
    await refusal('taskReveal', { taskId: 1, field: 'phone', phoneId: 999 }, 'phone_not_found');
    await refusal('callOutcome', { taskId: 1, phoneId: 999, disposition: 'busy' }, 'phone_not_found');
    expect(await refusal('taskReveal', { taskId: 2, field: 'idNumber' }, 'id_number_unknown')).toEqual({
      taskId: 2,
    });
  });

  it('calling hours: outside the windows, not a calling day, a closed date', async () => {
    const phoneId = await phoneOf(1);
    now = '2026-11-23T12:30:00+08:00';
    expect(await refusal('callStart', { taskId: 1, phoneId }, 'call_outside_hours')).toEqual({
      windows: '08:30–12:00, 14:00–20:00',
      nextAllowedAt: '2026-11-23T06:00:00.000Z',
    });
    now = '2026-11-22T10:00:00+08:00';
    expect(await refusal('callStart', { taskId: 1, phoneId }, 'call_not_calling_day')).toEqual({
      nextAllowedAt: '2026-11-23T00:30:00.000Z',
    });
    now = '2026-11-25T10:00:00+08:00';
    expect(await refusal('callStart', { taskId: 1, phoneId }, 'call_closed_date')).toEqual({
      date: '2026-11-25',
      nextAllowedAt: '2026-11-26T00:30:00.000Z',
    });
    now = MONDAY_10AM;
  });

  it('retry spacing, a call that is not open, callbacks without a time or in the past', async () => {
    const phoneId = await phoneOf(4);
    const { attemptId } = value(await desk.dispatch('callStart', { taskId: 4, phoneId })) as {
      attemptId: number;
    };
    value(await desk.dispatch('callOutcome', { taskId: 4, attemptId, disposition: 'no_answer' }));
    expect(await refusal('callStart', { taskId: 4, phoneId }, 'call_retry_spacing')).toEqual({
      nextAllowedAt: '2026-11-23T02:30:00.000Z',
    });
    expect(
      await refusal('callOutcome', { taskId: 4, attemptId, disposition: 'busy' }, 'call_not_open'),
    ).toEqual({
      attemptId,
    });
    await refusal('callOutcome', { taskId: 4, disposition: 'callback_requested' }, 'callback_time_required');
    expect(
      await refusal(
        'callOutcome',
        { taskId: 4, disposition: 'callback_requested', callbackAt: '2026-11-23T09:00:00+08:00' },
        'callback_in_past',
      ),
    ).toEqual({ callbackAt: '2026-11-23T01:00:00.000Z' });
  });

  it('a number marked invalid cannot be called', async () => {
    const phoneId = await phoneOf(5);
    value(await desk.dispatch('callOutcome', { taskId: 5, phoneId, disposition: 'number_not_exist' }));
    expect(await refusal('callStart', { taskId: 5, phoneId }, 'number_marked_invalid')).toEqual({});
  });

  it('a task moved to postal delivery takes no more calls or outcomes', async () => {
    const phoneId = await phoneOf(6);
    value(await desk.dispatch('callOutcome', { taskId: 6, disposition: 'consent_refused' }));
    expect(await refusal('callStart', { taskId: 6, phoneId }, 'task_moved_method')).toEqual({
      method: 'postal',
    });
    await refusal('callOutcome', { taskId: 6, disposition: 'no_answer' }, 'task_moved_method');
  });

  it('a closed task takes no more calls or outcomes', async () => {
    const phoneId = await phoneOf(7);
    const db = openDatabase(dbPath);
    db.prepare("UPDATE tasks SET status = 'closed' WHERE source_task_id = 'T7'").run();
    db.close();
    expect(await refusal('callStart', { taskId: 7, phoneId }, 'task_not_open')).toEqual({ status: 'closed' });
    await refusal('callOutcome', { taskId: 7, disposition: 'no_answer' }, 'task_not_open');
  });

  it('an illegal transition answers the state machine’s code', async () => {
    value(await desk.dispatch('callOutcome', { taskId: 8, disposition: 'connected_consented' }));
    expect(
      await refusal(
        'callOutcome',
        { taskId: 8, disposition: 'connected_consented' },
        'transition_not_allowed',
      ),
    ).toEqual({ event: 'record_consent', status: 'consented' });
  });

  it('a file that cannot be read answers bad_file with its code', async () => {
    const bytes = (text: string) => Buffer.from(text).toString('base64');
    await refusal('intakeImport', { fileName: 'x.json', dataBase64: bytes('{not json') }, 'file_not_json');
    expect(
      await refusal(
        'intakeImport',
        { fileName: 'x.csv', dataBase64: bytes('来源编号,当事人\nT-1,张三\n') },
        'file_missing_columns',
      ),
    ).toEqual({ columns: 'caseNumber, court, documents' });
  });

  it('covers every refusal main itself gives', () => {
    // The rest (escalation order, postal and announcement events, bad timestamps) are the domain's
    // and reached through it; common/domain tests answer each of those codes.
    const mainPaths: RefusalCode[] = [
      'task_not_found',
      'phone_not_found',
      'id_number_unknown',
      'task_not_open',
      'task_moved_method',
      'number_marked_invalid',
      'call_closed_date',
      'call_not_calling_day',
      'call_outside_hours',
      'call_retry_spacing',
      'call_not_open',
      'callback_time_required',
      'callback_in_past',
      'transition_not_allowed',
      'file_not_json',
      'file_missing_columns',
    ];
    expect([...answered].sort()).toEqual([...mainPaths].sort());
  });
});
