import type { Migration } from './types';

// Electronic service from the desk (issue 8). Numbered 5 (006 is the proofs').
//  - consents: the party's consent on a call, one row per confirmed channel, with the address
//    the party confirmed and the recording it rests on; `fact_id` is set when its `consent` fact
//    went into the outbox (a recording still being finalised makes it wait a moment);
//  - sends: what the specialist asked to send (the SendRequest with its desk-made send id), written
//    with its audit event before the UI says "queued"; the sync engine posts it once the outbox
//    operations made before it (`after_mutation_id`) have reached the hub;
//  - task_hub_views: the messages and the legal effect of a hub task as last pulled.
export const migration005: Migration = {
  version: 5,
  name: 'sends: consents, sends, pulled messages and legal effect',
  up: (db) =>
    db.exec(`
    CREATE TABLE consents (
      id INTEGER PRIMARY KEY,
      task_id INTEGER NOT NULL REFERENCES tasks(id),
      attempt_id INTEGER NOT NULL REFERENCES attempts(id),
      channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
      address TEXT NOT NULL,
      consented_at TEXT NOT NULL,
      recording_id INTEGER REFERENCES recordings(id),
      recording_sha256 TEXT,
      mark_offset_ms INTEGER,
      fact_id TEXT UNIQUE,
      created_at TEXT NOT NULL,
      UNIQUE (attempt_id, channel)
    ) STRICT;
    CREATE INDEX consents_by_task ON consents (task_id);

    CREATE TABLE sends (
      send_id TEXT PRIMARY KEY,
      task_id INTEGER NOT NULL REFERENCES tasks(id),
      request TEXT NOT NULL,
      client_id TEXT NOT NULL,
      after_mutation_id INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'accepted', 'refused')),
      check_code TEXT,
      answer TEXT,
      error_code TEXT,
      error TEXT,
      tries INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      posted_at TEXT
    ) STRICT;
    CREATE INDEX sends_by_task ON sends (task_id);
    CREATE INDEX sends_queued ON sends (client_id, created_at) WHERE state = 'queued';

    CREATE TABLE task_hub_views (
      task_id INTEGER PRIMARY KEY REFERENCES tasks(id),
      messages TEXT NOT NULL,
      legal_effect TEXT,
      updated_at TEXT NOT NULL
    ) STRICT;
  `),
};
