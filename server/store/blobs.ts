import { createHash } from 'node:crypto';
import type { HubUser } from '../../common/sync/hubApi';
import type { Queryable } from '../db/driver';
import { HubError } from '../errors';

// Content-addressed blobs (recordings, document files): stored under their SHA-256, never
// overwritten. Partial uploads live in blob_uploads until their last byte arrives and they hash
// to the name they were sent under.

const asBuffer = (value: Uint8Array): Buffer => Buffer.from(value.buffer, value.byteOffset, value.byteLength);
export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function storeBlob(tx: Queryable, sha256: string, bytes: Buffer): Promise<void> {
  await tx.query(
    'INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING',
    [sha256, bytes.byteLength, bytes],
  );
}

export type BlobState = { present: true; size: number } | { present: false; offset: number };

export async function blobState(db: Queryable, sha256: string): Promise<BlobState> {
  const done = await db.query<{ size: number }>('SELECT size FROM blobs WHERE sha256 = $1', [sha256]);
  if (done[0]) return { present: true, size: done[0].size };
  const partial = await db.query<{ offset: number }>(
    'SELECT received AS offset FROM blob_uploads WHERE sha256 = $1',
    [sha256],
  );
  return { present: false, offset: partial[0]?.offset ?? 0 };
}

/**
 * Appends `chunk` at `offset` of the upload of `sha256` (total `length` bytes). A wrong offset
 * answers the hub's offset (the desk resumes from there); the last chunk completes the blob only
 * if the bytes hash to `sha256` — otherwise the upload is discarded and refused.
 */
export async function appendBlobChunk(
  tx: Queryable,
  input: { sha256: string; offset: number; length: number; chunk: Buffer },
): Promise<{ offset: number; complete: boolean; conflict: boolean }> {
  const { sha256, offset, length, chunk } = input;
  const done = await tx.query<{ size: number }>('SELECT size FROM blobs WHERE sha256 = $1', [sha256]);
  if (done[0]) return { offset: done[0].size, complete: true, conflict: false };
  await tx.query('INSERT INTO blob_uploads (sha256, total) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [
    sha256,
    length,
  ]);
  const rows = await tx.query<{ total: number; offset: number }>(
    'SELECT total, received AS offset FROM blob_uploads WHERE sha256 = $1 FOR UPDATE',
    [sha256],
  );
  const upload = rows[0]!;
  if (upload.total !== length) {
    throw new HubError('conflict', `this upload is ${upload.total} bytes long, not ${length}`, {
      offset: upload.offset,
    });
  }
  if (upload.offset !== offset) return { offset: upload.offset, complete: false, conflict: true };
  if (offset + chunk.byteLength > length) {
    throw new HubError('invalid_request', 'the chunk goes past upload-length');
  }
  if (chunk.byteLength > 0) {
    await tx.query('INSERT INTO blob_chunks (sha256, start, data) VALUES ($1, $2, $3)', [
      sha256,
      offset,
      chunk,
    ]);
  }
  const newOffset = offset + chunk.byteLength;
  await tx.query('UPDATE blob_uploads SET received = $2, updated_at = now() WHERE sha256 = $1', [
    sha256,
    newOffset,
  ]);
  if (newOffset < length) return { offset: newOffset, complete: false, conflict: false };

  // The last byte is in: hash what was received, in order, before it becomes the blob.
  const chunks = await tx.query<{ data: Uint8Array }>(
    'SELECT data FROM blob_chunks WHERE sha256 = $1 ORDER BY start',
    [sha256],
  );
  const hash = createHash('sha256');
  for (const part of chunks) hash.update(part.data);
  if (hash.digest('hex') !== sha256) {
    await tx.query('DELETE FROM blob_uploads WHERE sha256 = $1', [sha256]);
    return { offset: -1, complete: false, conflict: false };
  }
  await tx.query(
    `INSERT INTO blobs (sha256, size, data)
     SELECT $1, $2, string_agg(data, ''::bytea ORDER BY start) FROM blob_chunks WHERE sha256 = $1
     ON CONFLICT (sha256) DO NOTHING`,
    [sha256, length],
  );
  await tx.query('DELETE FROM blob_uploads WHERE sha256 = $1', [sha256]);
  return { offset: length, complete: true, conflict: false };
}

/** A blob's bytes, if a fact, a document, a portal event (a signature) or a sealed proof on a task `user` may see refers to it. */
export async function readBlobFor(db: Queryable, user: HubUser, sha256: string): Promise<Buffer> {
  const params: unknown[] = [sha256];
  let scope = '';
  if (user.role !== 'admin') {
    params.push(user.teamId);
    scope += ` AND t.team_id = $${params.length}`;
  }
  if (user.role === 'specialist') {
    params.push(user.id);
    scope += ` AND EXISTS (SELECT 1 FROM task_holders h WHERE h.task_id = t.id AND h.user_id = $${params.length})`;
  }
  const rows = await db.query<{ data: Uint8Array }>(
    `SELECT b.data FROM blobs b WHERE b.sha256 = $1 AND EXISTS (
       SELECT 1 FROM tasks t WHERE (
         EXISTS (SELECT 1 FROM facts f WHERE f.task_id = t.id AND f.blob_sha256 = b.sha256)
         OR t.intake->'documents' @> jsonb_build_array(jsonb_build_object('sha256', b.sha256))
         OR EXISTS (SELECT 1 FROM message_events e JOIN messages m ON m.id = e.message_id
                     WHERE m.task_id = t.id AND e.blob_sha256 = b.sha256)
         OR EXISTS (SELECT 1 FROM proofs p WHERE p.task_id = t.id AND p.sealed_sha256 = b.sha256)
       )${scope})`,
    params,
  );
  if (!rows[0]) throw new HubError('not_found', 'no such blob on a task you may see');
  return asBuffer(rows[0].data);
}
