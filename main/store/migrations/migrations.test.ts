import { describe, expect, it } from 'vitest';
import { Database } from '../../../native/sqlite';
import { migrate, schemaVersion } from '../database';
import { MIGRATIONS } from './index';
import { reindexAllTasks } from '../searchIndex';

const tables = (db: InstanceType<typeof Database>) =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

const strict = (db: InstanceType<typeof Database>, table: string) =>
  (db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as { strict: number })
    .strict === 1;

function seedV1(db: InstanceType<typeof Database>) {
  db.exec(`
    INSERT INTO cases (id, court, number) VALUES (1, '乌海市海南区人民法院', '(2024)内0303民初1234号');
    INSERT INTO parties (id, case_id, name, kind, role, id_number) VALUES (1, 1, '张三', 'person', '被告', '11010519491231002X');
    INSERT INTO phones (party_id, kind, digits, display) VALUES (1, 'mobile', '13812345678', '138 1234 5678');
    INSERT INTO tasks (id, source_system, source_task_id, case_id, party_id, method, status, priority, deadline, created_at, updated_at)
      VALUES (1, 's', 'A1', 1, 1, 'electronic', 'delivered', 'urgent', '2026-12-01', 'x', 'x');
  `);
}

describe('migration 001 (core tables)', () => {
  it('creates STRICT tables for cases, parties, documents, tasks, attempts and audit events from empty', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    for (const table of [
      'cases',
      'parties',
      'phones',
      'addresses',
      'documents',
      'tasks',
      'attempts',
      'audit_events',
    ]) {
      expect(tables(db)).toContain(table);
      expect(strict(db, table)).toBe(true);
    }
    // STRICT refuses a value of the wrong type instead of storing it.
    expect(() =>
      db.prepare("INSERT INTO cases (court, number, cause) VALUES ('c', 'n', ?)").run(Buffer.from('x')),
    ).toThrow();
  });

  it('keeps one task per source task id', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 1 });
    seedV1(db);
    expect(() =>
      db.exec(`INSERT INTO tasks (source_system, source_task_id, case_id, party_id, method, status, priority, created_at, updated_at)
               VALUES ('s', 'A1', 1, 1, 'electronic', 'new', 'normal', 'x', 'x')`),
    ).toThrow(/UNIQUE/);
  });
});

describe('migration 003 (calls and recordings)', () => {
  const CALL_TABLES = ['calls', 'recordings', 'recording_chunks', 'recording_marks'];

  it('creates STRICT tables for calls, recordings, chunks and marks from empty', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 3 });
    expect(schemaVersion(db)).toBe(3);
    for (const table of CALL_TABLES) {
      expect(tables(db)).toContain(table);
      expect(strict(db, table)).toBe(true);
    }
  });

  it('upgrades a version-2 database with attempts: they keep their rows and can gain call facts', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 2 });
    seedV1(db);
    db.exec(`INSERT INTO attempts (id, task_id, kind, phone_id, disposition, started_at, ended_at, actor)
             VALUES (7, 1, 'call', 1, 'no_answer', '2026-11-23T02:00:00.000Z', '2026-11-23T02:01:00.000Z', 'local:王敏')`);
    migrate(db, { targetVersion: 3 });
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT id, disposition FROM attempts').all()).toEqual([
      { id: 7, disposition: 'no_answer' },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM calls').get()).toEqual({ n: 0 });
    db.prepare(`INSERT INTO calls (attempt_id, direction, sip_status) VALUES (7, 'outbound', 480)`).run();
    expect(db.prepare('SELECT attempt_id, direction, sip_status, events FROM calls').get()).toEqual({
      attempt_id: 7,
      direction: 'outbound',
      sip_status: 480,
      events: '[]',
    });
  });

  it('refuses a second call for one attempt, an unknown direction or state, and a call for no attempt', () => {
    const db = new Database(':memory:');
    migrate(db);
    seedV1(db);
    db.pragma('foreign_keys = ON');
    db.exec(`INSERT INTO attempts (id, task_id, kind, started_at, actor) VALUES (1, 1, 'call', 'x', 'a')`);
    db.exec(`INSERT INTO calls (attempt_id, direction) VALUES (1, 'inbound')`);
    expect(() => db.exec(`INSERT INTO calls (attempt_id, direction) VALUES (1, 'inbound')`)).toThrow(
      /UNIQUE|PRIMARY/,
    );
    expect(() => db.exec(`INSERT INTO calls (attempt_id, direction) VALUES (2, 'outbound')`)).toThrow(
      /FOREIGN KEY/,
    );
    expect(() =>
      db.exec(
        `INSERT INTO recordings (attempt_id, state, mime_type, raw_file, started_at) VALUES (1, 'lost', 'audio/webm', 'f', 'x')`,
      ),
    ).toThrow(/CHECK/);
    db.exec(
      `INSERT INTO recordings (id, attempt_id, state, mime_type, raw_file, started_at) VALUES (1, 1, 'recording', 'audio/webm', 'f', 'x')`,
    );
    expect(() =>
      db.exec(
        `INSERT INTO recordings (attempt_id, state, mime_type, raw_file, started_at) VALUES (1, 'recording', 'audio/webm', 'f', 'x')`,
      ),
    ).toThrow(/UNIQUE/); // one file, one recording
    db.exec(
      `INSERT INTO recording_chunks (recording_id, seq, offset, bytes, sha256) VALUES (1, 0, 0, 10, 'h')`,
    );
    expect(() =>
      db.exec(
        `INSERT INTO recording_chunks (recording_id, seq, offset, bytes, sha256) VALUES (1, 0, 10, 10, 'h')`,
      ),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(() =>
      db.exec(
        `INSERT INTO recording_marks (recording_id, step_id, offset_ms, at) VALUES (1, 'consent', -1, 'x')`,
      ),
    ).toThrow(/CHECK/);
  });
});

describe('migration 002 (queue columns and search)', () => {
  it('applies from empty', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(tables(db)).toContain('task_search');
  });

  it('upgrades a version-1 database with data: fills queue columns and indexes existing tasks', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 1 });
    seedV1(db);
    migrate(db, { targetVersion: 2 });
    expect(schemaVersion(db)).toBe(2);
    const task = db
      .prepare('SELECT party_name, case_number, court, priority_rank, open FROM tasks WHERE id = 1')
      .get();
    expect(task).toEqual({
      party_name: '张三',
      case_number: '(2024)内0303民初1234号',
      court: '乌海市海南区人民法院',
      priority_rank: 0,
      open: 0,
    });
    expect(db.prepare(`SELECT task_id FROM name_bigrams WHERE gram = '张三'`).all()).toEqual([
      { task_id: 1 },
    ]);
    expect(db.prepare('SELECT status, method, deadline, open, n FROM task_counts').all()).toEqual([
      { status: 'delivered', method: 'electronic', deadline: '2026-12-01', open: 0, n: 1 },
    ]);
    const byPhone = db.prepare(`SELECT rowid FROM task_search WHERE task_search MATCH '"1234"'`).all();
    expect(byPhone).toEqual([{ rowid: 1 }]);
  });

  it('reindexing twice leaves one search row per task', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 1 });
    seedV1(db);
    migrate(db);
    reindexAllTasks(db);
    expect(
      db.prepare(`SELECT count(*) AS n FROM task_search WHERE task_search MATCH '"1234"'`).get(),
    ).toEqual({ n: 1 });
    expect(db.prepare(`SELECT count(*) AS n FROM name_bigrams WHERE gram = '张三'`).get()).toEqual({ n: 1 });
  });

  it('upgrades a version-2 database with tasks to 4: existing tasks stay local-only, attempts keep no record id', () => {
    const db = new Database(':memory:');
    migrate(db, { targetVersion: 1 });
    seedV1(db);
    migrate(db, { targetVersion: 2 });
    migrate(db);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT hub_id, completed_after_reassignment FROM tasks').all()).toEqual([
      { hub_id: null, completed_after_reassignment: 0 },
    ]);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'sync_outbox',
        'sync_rejections',
        'sync_clients',
        'blob_uploads',
        'lead_pictures',
      ]),
    );
    // Two tasks may never share a hub id.
    db.prepare("UPDATE tasks SET hub_id = '0190f7a0-0000-7000-8000-000000000001'").run();
    const copy = db.prepare('SELECT * FROM tasks').get() as Record<string, unknown>;
    expect(() =>
      db
        .prepare(
          `INSERT INTO tasks (source_system, source_task_id, case_id, party_id, method, status, priority, created_at, updated_at, hub_id)
           VALUES ('x', 'y', ?, ?, 'electronic', 'new', 'normal', 'now', 'now', ?)`,
        )
        .run(copy.case_id, copy.party_id, copy.hub_id),
    ).toThrow(/UNIQUE/);
  });

  it('refuses a database from a newer app', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer/);
  });

  it('rolls back every step of a failing migration', () => {
    const db = new Database(':memory:');
    const broken = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.at(-1)!.version + 1,
        name: 'broken',
        up: (d: InstanceType<typeof Database>) =>
          d.exec('CREATE TABLE x (a INTEGER) STRICT; SELECT nope FROM nowhere;'),
      },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).not.toContain('tasks');
  });
});
