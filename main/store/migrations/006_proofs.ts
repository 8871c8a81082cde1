import type { Migration } from './types';

// Proofs of service (issue 9). Numbered 6: 005 belongs to the desk's sends.
//  - proofs: each PDF this desk rendered for a delivered task, kept as evidence under its SHA-256
//    (the file is never overwritten), "unsealed" until the hub's sealed PDF is downloaded beside it;
//  - proof_snapshots: the hub's latest snapshot of a delivered task, the facts a proof is gathered
//    from (kept so a proof can be made after a restart, offline).
export const migration006: Migration = {
  version: 6,
  name: 'proofs of service and the snapshots they are gathered from',
  up: (db) =>
    db.exec(`
    CREATE TABLE proofs (
      proof_id TEXT PRIMARY KEY,
      task_id INTEGER NOT NULL REFERENCES tasks(id),
      facts TEXT NOT NULL,
      unsealed_sha256 TEXT NOT NULL,
      unsealed_path TEXT NOT NULL,
      created_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'unsealed' CHECK (status IN ('unsealed', 'sealed', 'refused')),
      hub_reason TEXT,
      sealed_sha256 TEXT,
      sealed_path TEXT,
      sealed_at TEXT
    );
    CREATE INDEX proofs_by_task ON proofs (task_id, created_at);

    CREATE TABLE proof_snapshots (
      task_id INTEGER PRIMARY KEY REFERENCES tasks(id),
      snapshot TEXT NOT NULL,
      at TEXT NOT NULL
    );
  `),
};
