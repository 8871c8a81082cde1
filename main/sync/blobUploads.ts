import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { SqliteDatabase } from '../../native/sqlite';
import { Sha256Hex } from '../../common/sync/protocol';
import type { HubClient } from './hubClient';
import { HubRefusal } from './hubClient';

// Blobs (recordings) waiting for the hub: content-addressed by SHA-256, uploaded resumably (HEAD
// says how much the hub holds, PATCH sends the rest from there). A task's completion never waits
// for an upload: facts are pushed on their own and a blob follows when the line allows.

const CHUNK_BYTES = 1024 * 1024;

/**
 * `write` runs the upload's bookkeeping (progress, done, flagged) through the desk's write gate
 * (main/store/writeGate.ts), so an import's chunk never makes an upload wait on busy_timeout.
 */
export function createBlobUploads(db: SqliteDatabase, write: <T>(fn: () => T) => T = (fn) => fn()) {
  const insert = db.prepare(
    `INSERT INTO blob_uploads (sha256, path, bytes, enqueued_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (sha256) DO NOTHING`,
  );
  const waiting = db.prepare<[], { sha256: string; path: string; bytes: number; uploaded: number }>(
    `SELECT sha256, path, bytes, uploaded FROM blob_uploads
      WHERE done_at IS NULL AND (last_error IS NULL OR last_error NOT LIKE 'hash_mismatch%') ORDER BY enqueued_at, sha256`,
  );
  const progress = db.prepare('UPDATE blob_uploads SET uploaded = ?, last_error = NULL WHERE sha256 = ?');
  const done = db.prepare(
    'UPDATE blob_uploads SET uploaded = bytes, done_at = ?, last_error = NULL WHERE sha256 = ?',
  );
  const failed = db.prepare('UPDATE blob_uploads SET last_error = ? WHERE sha256 = ?');
  const totals = db.prepare<[], { n: number; bytes: number }>(
    'SELECT count(*) AS n, coalesce(sum(bytes - uploaded), 0) AS bytes FROM blob_uploads WHERE done_at IS NULL',
  );
  const state = db.prepare<[string], { uploaded: number; doneAt: string | null }>(
    'SELECT uploaded, done_at AS doneAt FROM blob_uploads WHERE sha256 = ?',
  );

  /** Uploads one blob from wherever the hub stands; throws HubUnreachable when the line drops. */
  async function uploadOne(
    hub: HubClient,
    row: { sha256: string; path: string; bytes: number },
    at: () => string,
  ) {
    const held = await hub.blobState(row.sha256);
    if (held.present) {
      write(() => done.run(at(), row.sha256));
      return;
    }
    let offset = held.offset;
    const fd = openSync(row.path, 'r');
    try {
      while (offset < row.bytes) {
        const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, row.bytes - offset));
        const read = readSync(fd, chunk, 0, chunk.length, offset);
        if (read !== chunk.length) throw new Error(`${row.path} is shorter than its ${row.bytes} bytes`);
        let answer;
        try {
          answer = await hub.blobChunk(row.sha256, offset, row.bytes, chunk);
        } catch (error) {
          if (error instanceof HubRefusal && error.code === 'hash_mismatch') {
            // The file does not hash to its name: kept, flagged, never retried blindly.
            write(() => failed.run(`hash_mismatch: ${error.message}`, row.sha256));
            return;
          }
          throw error;
        }
        offset = answer.offset;
        write(() => progress.run(offset, row.sha256));
        if (answer.complete) break;
      }
    } finally {
      closeSync(fd);
    }
    write(() => done.run(at(), row.sha256));
  }

  return {
    /** Queues a blob for upload (idempotent on its hash). The file must stay where it is. */
    uploadBlob(sha256: string, path: string, at: string): void {
      Sha256Hex.parse(sha256);
      insert.run(sha256, path, statSync(path).size, at);
    },
    async uploadAll(hub: HubClient, at: () => string): Promise<number> {
      let uploaded = 0;
      for (const row of waiting.all()) {
        await uploadOne(hub, row, at);
        uploaded += 1;
      }
      return uploaded;
    },
    totals: () => totals.get()!,
    state: (sha256: string) => state.get(sha256) ?? null,
  };
}
export type BlobUploads = ReturnType<typeof createBlobUploads>;
