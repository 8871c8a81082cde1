import type { Migration } from './types';

// What the desk needs to work with a hub (issue 7). Numbered 4: 003 belongs to the call facts.
//  - tasks pulled from the hub keep the hub's id (hub_id) and who holds them there; tasks imported
//    on this desk alone have hub_id NULL and never sync;
//  - attempts get the record id (UUIDv7) they are known by everywhere;
//  - the outbox: one row per sync operation, written in the same transaction as the change it
//    carries, in per-client mutation-id order; rows leave when the hub settles them;
//  - rejected operations are kept (never silently dropped) with the hub's code;
//  - a client per hub user (the hub binds a client id to one user) with its next mutation id and
//    its pull cursor;
//  - blobs (recordings) waiting for a resumable upload.
export const migration004: Migration = {
  version: 4,
  name: 'sync: hub ids, outbox, rejections, sync clients, blob uploads',
  up: (db) =>
    db.exec(`
    ALTER TABLE tasks ADD COLUMN hub_id TEXT;
    ALTER TABLE tasks ADD COLUMN hub_assignee_id TEXT;
    ALTER TABLE tasks ADD COLUMN completed_after_reassignment INTEGER NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX tasks_by_hub_id ON tasks (hub_id) WHERE hub_id IS NOT NULL;

    ALTER TABLE attempts ADD COLUMN record_id TEXT;
    CREATE UNIQUE INDEX attempts_by_record_id ON attempts (record_id) WHERE record_id IS NOT NULL;

    CREATE TABLE sync_clients (
      user_id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL UNIQUE,
      next_mutation_id INTEGER NOT NULL DEFAULT 1,
      pull_cursor TEXT NOT NULL DEFAULT '0:0',
      last_synced_at TEXT
    ) STRICT;

    CREATE TABLE sync_outbox (
      client_id TEXT NOT NULL,
      mutation_id INTEGER NOT NULL,
      task_id INTEGER NOT NULL REFERENCES tasks(id),
      kind TEXT NOT NULL,
      operation TEXT NOT NULL,
      created_at TEXT NOT NULL,
      tries INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      PRIMARY KEY (client_id, mutation_id)
    ) STRICT;
    CREATE INDEX sync_outbox_by_task ON sync_outbox (task_id);

    CREATE TABLE sync_rejections (
      client_id TEXT NOT NULL,
      mutation_id INTEGER NOT NULL,
      task_id INTEGER REFERENCES tasks(id),
      kind TEXT NOT NULL,
      operation TEXT NOT NULL,
      code TEXT NOT NULL,
      message TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (client_id, mutation_id)
    ) STRICT;

    CREATE TABLE blob_uploads (
      sha256 TEXT PRIMARY KEY,
      path TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      uploaded INTEGER NOT NULL DEFAULT 0,
      enqueued_at TEXT NOT NULL,
      done_at TEXT,
      last_error TEXT
    ) STRICT;

    -- The lead console's last answers from the hub: what it shows, read-only, when offline.
    CREATE TABLE lead_pictures (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      as_of TEXT NOT NULL
    ) STRICT;
  `),
};
