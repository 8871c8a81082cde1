import type { Migration } from './types';

// The desk's core tables. STRICT everywhere; enumerations are checked by the domain before
// writing, and the CHECKs here are the last line of defence.
export const migration001: Migration = {
  version: 1,
  name: 'core tables: cases, parties, documents, tasks, attempts, audit events',
  up: (db) =>
    db.exec(`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE cases (
      id INTEGER PRIMARY KEY,
      court TEXT NOT NULL,
      number TEXT NOT NULL,
      cause TEXT NOT NULL DEFAULT '',
      department TEXT NOT NULL DEFAULT '',
      judge TEXT NOT NULL DEFAULT '',
      clerk TEXT NOT NULL DEFAULT '',
      UNIQUE (court, number)
    ) STRICT;

    CREATE TABLE parties (
      id INTEGER PRIMARY KEY,
      case_id INTEGER NOT NULL REFERENCES cases(id),
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
      role TEXT NOT NULL DEFAULT '',
      id_type TEXT NOT NULL DEFAULT '',
      id_number TEXT NOT NULL DEFAULT '',
      email TEXT,
      representative TEXT,
      time_zone TEXT
    ) STRICT;

    CREATE TABLE phones (
      id INTEGER PRIMARY KEY,
      party_id INTEGER NOT NULL REFERENCES parties(id),
      kind TEXT NOT NULL CHECK (kind IN ('mobile', 'landline')),
      digits TEXT NOT NULL,
      extension TEXT,
      display TEXT NOT NULL,
      source TEXT NOT NULL DEFAULT 'case_system',
      invalid INTEGER NOT NULL DEFAULT 0 CHECK (invalid IN (0, 1)),
      invalid_reason TEXT
    ) STRICT;

    CREATE TABLE addresses (
      id INTEGER PRIMARY KEY,
      party_id INTEGER NOT NULL REFERENCES parties(id),
      text TEXT NOT NULL,
      source TEXT NOT NULL
    ) STRICT;

    CREATE TABLE tasks (
      id INTEGER PRIMARY KEY,
      source_system TEXT NOT NULL,
      source_task_id TEXT NOT NULL,
      case_id INTEGER NOT NULL REFERENCES cases(id),
      party_id INTEGER NOT NULL REFERENCES parties(id),
      method TEXT NOT NULL,
      status TEXT NOT NULL,
      priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
      deadline TEXT,
      callback_at TEXT,
      next_attempt_at TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      assignee TEXT,
      notes TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      intake_event INTEGER,
      UNIQUE (source_system, source_task_id)
    ) STRICT;

    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      task_id INTEGER NOT NULL REFERENCES tasks(id),
      title TEXT NOT NULL,
      kind TEXT NOT NULL DEFAULT '',
      file_name TEXT,
      sha256 TEXT,
      pages INTEGER
    ) STRICT;

    CREATE TABLE attempts (
      id INTEGER PRIMARY KEY,
      task_id INTEGER NOT NULL REFERENCES tasks(id),
      kind TEXT NOT NULL CHECK (kind IN ('call', 'send', 'postal', 'visit', 'announcement')),
      phone_id INTEGER REFERENCES phones(id),
      disposition TEXT,
      notes TEXT NOT NULL DEFAULT '',
      callback_at TEXT,
      steps_completed TEXT NOT NULL DEFAULT '[]',
      started_at TEXT NOT NULL,
      ended_at TEXT,
      actor TEXT NOT NULL
    ) STRICT;
    CREATE INDEX attempts_by_task ON attempts (task_id, id);

    CREATE TABLE audit_events (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      type TEXT NOT NULL,
      task_id INTEGER,
      data TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_events_by_task ON audit_events (task_id, seq) WHERE task_id IS NOT NULL;
  `),
};
