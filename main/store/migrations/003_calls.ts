import type { Migration } from './types';

// The softphone's facts and its evidence. A call is 1:1 with a call attempt; a recording belongs
// to an attempt (normally one; a reload mid-call may leave a second). Recording chunks are indexed
// so a repeated chunk can be told apart from a conflicting one without re-reading the file.
export const migration003: Migration = {
  version: 3,
  name: 'calls, recordings, recording chunks and script-step marks',
  up: (db) =>
    db.exec(`
    CREATE TABLE calls (
      attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id),
      direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
      sip_call_id TEXT,
      dialled TEXT,
      invite_at TEXT,
      ringing_at TEXT,
      answered_at TEXT,
      media_connected_at TEXT,
      ended_at TEXT,
      sip_status INTEGER,
      reason TEXT,
      hung_up_by TEXT CHECK (hung_up_by IN ('local', 'remote', 'system')),
      packets_lost INTEGER,
      packets_received INTEGER,
      jitter_ms REAL,
      round_trip_ms REAL,
      -- hold, resume, mute, unmute and DTMF as they happened: [{ "type", "at", "digits"? }]
      events TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX calls_by_sip_call_id ON calls (sip_call_id) WHERE sip_call_id IS NOT NULL;

    CREATE TABLE recordings (
      id INTEGER PRIMARY KEY,
      attempt_id INTEGER NOT NULL REFERENCES attempts(id),
      state TEXT NOT NULL CHECK (state IN ('recording', 'complete', 'incomplete')),
      mime_type TEXT NOT NULL,
      chunks INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER NOT NULL DEFAULT 0,
      raw_sha256 TEXT,
      sha256 TEXT,
      final_bytes INTEGER,
      duration_ms INTEGER,
      raw_file TEXT NOT NULL UNIQUE,
      final_file TEXT UNIQUE,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      finish_reason TEXT,
      audit_seq INTEGER
    ) STRICT;
    CREATE INDEX recordings_by_attempt ON recordings (attempt_id, id);
    CREATE INDEX recordings_open ON recordings (state) WHERE state = 'recording';

    CREATE TABLE recording_chunks (
      recording_id INTEGER NOT NULL REFERENCES recordings(id),
      seq INTEGER NOT NULL,
      offset INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      PRIMARY KEY (recording_id, seq)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE recording_marks (
      id INTEGER PRIMARY KEY,
      recording_id INTEGER NOT NULL REFERENCES recordings(id),
      step_id TEXT NOT NULL,
      offset_ms INTEGER NOT NULL CHECK (offset_ms >= 0),
      at TEXT NOT NULL,
      UNIQUE (recording_id, step_id, offset_ms)
    ) STRICT;
  `),
};
