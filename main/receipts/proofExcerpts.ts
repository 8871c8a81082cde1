import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { SqliteDatabase } from '../../native/sqlite';
import { ensureDir, writeNewFileDurably } from '../evidence/durableFiles';
import { auditExcerptBlob, createAuditExcerptBuilder } from '../store/auditExcerpt';
import type { BlobUploads } from '../sync/blobUploads';
import type { SyncRecorder } from '../sync/outbox';

// The audit excerpt travels with each proof of service (issue 9, the evidence bundle): when the
// desk files a proof (main/receipts/proofFiling.ts → `proofFiled`), the task's excerpt up to the
// head the proof prints is built, kept beside the proof as a content-named file, queued as a blob
// upload and named in the proof fact (`auditExcerptSha256`) — in the filing's own transaction.

export interface ProofExcerptDeps {
  db: SqliteDatabase;
  blobs: BlobUploads;
  /** Where the proofs are kept (`<dataDir>/proofs`). */
  dir: string;
  log: Logger;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The outbox's recorder, with each proof fact given its task's audit excerpt. */
export function withAuditExcerpts(recorder: SyncRecorder, deps: ProofExcerptDeps): SyncRecorder {
  const builder = createAuditExcerptBuilder(deps.db);
  return {
    ...recorder,
    proofFiled(taskId, factId, body, at) {
      let excerptSha: string | undefined;
      try {
        const blob = auditExcerptBlob(builder.build(taskId, body.facts.audit.headHash));
        ensureDir(deps.dir);
        const path = join(deps.dir, `${blob.sha256}.audit-excerpt.json`);
        if (!existsSync(path)) writeNewFileDurably(path, deps.dir, blob.bytes);
        else if (sha256(readFileSync(path)) !== blob.sha256)
          throw new Error(`${path} exists with other bytes`);
        deps.blobs.uploadBlob(blob.sha256, path, at);
        excerptSha = blob.sha256;
      } catch (error) {
        // The proof is filed all the same: the hub then holds its bundle back until an excerpt comes.
        deps.log.error({ err: error, taskId }, 'the audit excerpt of this proof could not be made');
      }
      recorder.proofFiled?.(
        taskId,
        factId,
        excerptSha ? { ...body, auditExcerptSha256: excerptSha } : body,
        at,
      );
    },
  };
}
