// The desk's side of the proof of service (issue 9): when a hub task is delivered, gather its
// facts (gatherProofFacts), render the 送达回证, keep the PDF as evidence under its SHA-256 (never
// overwritten), mark it "not yet sealed", and queue it for the hub (the `proof` fact in the outbox
// and the PDF as a blob upload) in one transaction. Offline this all happens just the same; the
// hub seals it once the desk reconnects. When a pulled snapshot says the proof is sealed, the
// sealed PDF is downloaded beside it (its hash checked, and that it seals exactly our bytes).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { DELIVERED_EQUIVALENT, isDeliveredEquivalent } from '../../common/domain/taskMachine';
import type { ProofFacts } from '../../common/proof/proofFacts';
import { TaskSnapshot } from '../../common/sync/protocol';
import type { SqliteDatabase } from '../../native/sqlite';
import { ensureDir, writeNewFileDurably } from '../evidence/durableFiles';
import type { AuditLog } from '../store/auditLog';
import type { BlobUploads } from '../sync/blobUploads';
import type { HubClient } from '../sync/hubClient';
import type { SyncRecorder } from '../sync/outbox';
import { gatherProofFacts } from './gatherProofFacts';
import type { ReceiptFont } from './receiptFont';

export const PROOFS_DIR_NAME = 'proofs';

export interface ProofRecord {
  proofId: string;
  taskId: number;
  status: 'unsealed' | 'sealed' | 'refused';
  unsealedSha256: string;
  unsealedPath: string;
  sealedSha256: string | null;
  sealedPath: string | null;
  sealedAt: string | null;
  hubReason: string | null;
  createdAt: string;
}

export interface ProofFilingDeps {
  db: SqliteDatabase;
  write: <T>(fn: () => T) => T;
  audit: AuditLog;
  sync: SyncRecorder;
  blobs: BlobUploads;
  /** Where the PDFs are kept (`<dataDir>/proofs`). */
  dir: string;
  hubUrl: () => string | null;
  specialist: () => { name: string; id: string };
  callingNumber: () => string;
  nowIso: () => string;
  log: Logger;
  font?: () => ReceiptFont;
}

/** DD-20261201-7F3A9C1B2E: the day and 40 random bits, short enough for the footer and the QR caption. */
const newProofId = (at: string) =>
  `DD-${at.slice(0, 10).replace(/-/g, '')}-${randomBytes(5).toString('hex').toUpperCase()}`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const KEPT_STATUSES = new Set(['sent', 'proof_issued']);

export function createProofFiling(deps: ProofFilingDeps) {
  const { db } = deps;
  // PDFKit, fontkit, qrcode and the font load with the first proof, not at the desk's start-up.
  let renderer: Promise<(facts: ProofFacts) => Promise<Uint8Array>> | null = null;
  const rendererOf = () =>
    (renderer ??= Promise.all([import('./proofPdf'), import('./receiptFont')])
      .then(([pdf, fonts]) => {
        const font = (deps.font ?? fonts.loadReceiptFont)();
        return (facts: ProofFacts) => pdf.renderProofPdf(facts, font);
      })
      .catch((error: unknown) => {
        renderer = null; // tried again with the next proof
        throw error;
      }));

  const keepSnapshot = db.prepare(
    `INSERT INTO proof_snapshots (task_id, snapshot, at) VALUES (?, ?, ?)
     ON CONFLICT (task_id) DO UPDATE SET snapshot = excluded.snapshot, at = excluded.at`,
  );
  // Delivered here (or as good as) and without a proof yet: the status is checked in the query.
  const needingProof = db.prepare<string[], { taskId: number; snapshot: string }>(
    `SELECT s.task_id AS taskId, s.snapshot FROM proof_snapshots s JOIN tasks t ON t.id = s.task_id
      WHERE t.status IN (${DELIVERED_EQUIVALENT.map(() => '?').join(', ')})
        AND NOT EXISTS (SELECT 1 FROM proofs p WHERE p.task_id = s.task_id)
      ORDER BY s.task_id`,
  );
  const insertProof = db.prepare(
    `INSERT INTO proofs (proof_id, task_id, facts, unsealed_sha256, unsealed_path, created_at)
     VALUES (@proofId, @taskId, @facts, @sha256, @path, @at)`,
  );
  const select = `SELECT proof_id AS proofId, task_id AS taskId, status, unsealed_sha256 AS unsealedSha256,
      unsealed_path AS unsealedPath, sealed_sha256 AS sealedSha256, sealed_path AS sealedPath,
      sealed_at AS sealedAt, hub_reason AS hubReason, created_at AS createdAt FROM proofs`;
  const byId = db.prepare<[string], ProofRecord>(`${select} WHERE proof_id = ?`);
  const ofTask = db.prepare<[number], ProofRecord>(
    `${select} WHERE task_id = ? ORDER BY created_at DESC LIMIT 1`,
  );
  const unsealed = db.prepare<[], ProofRecord & { snapshot: string }>(
    `SELECT p.proof_id AS proofId, p.unsealed_path AS unsealedPath, p.task_id AS taskId, s.snapshot
       FROM proofs p JOIN proof_snapshots s ON s.task_id = p.task_id WHERE p.status = 'unsealed'`,
  );
  const markSealed = db.prepare(
    `UPDATE proofs SET status = 'sealed', sealed_sha256 = ?, sealed_path = ?, sealed_at = ?, hub_reason = NULL
      WHERE proof_id = ? AND status = 'unsealed'`,
  );
  const markRefused = db.prepare(
    `UPDATE proofs SET status = 'refused', hub_reason = ? WHERE proof_id = ? AND status = 'unsealed'`,
  );
  const noteReason = db.prepare(
    `UPDATE proofs SET hub_reason = ? WHERE proof_id = ? AND status = 'unsealed'`,
  );

  /** Keeps a PDF under its hash; an existing file with that name holds the same bytes already. */
  function keep(bytes: Uint8Array, suffix: string): { sha256: string; path: string } {
    const hash = sha256(bytes);
    ensureDir(deps.dir);
    const path = join(deps.dir, `${hash}${suffix}.pdf`);
    if (existsSync(path)) {
      if (sha256(readFileSync(path)) !== hash) throw new Error(`${path} exists with other bytes`);
    } else writeNewFileDurably(path, deps.dir, Buffer.from(bytes));
    return { sha256: hash, path };
  }

  /**
   * Each pulled snapshot of local task `taskId` (inside the pull's transaction): keep the ones
   * proofs are made from; note the hub's verdict on a proof.
   */
  function rememberSnapshot(taskId: number, s: TaskSnapshot, at: string): void {
    if (isDeliveredEquivalent(s.status) || KEPT_STATUSES.has(s.status) || s.proof)
      keepSnapshot.run(taskId, JSON.stringify(s), at);
    if (s.proof?.status === 'refused') {
      if (markRefused.run(s.proof.reason ?? 'refused by the hub', s.proof.proofId).changes > 0)
        deps.audit.append({
          at,
          actor: 'hub',
          type: 'proof.refused',
          taskId,
          data: { proofId: s.proof.proofId, reason: s.proof.reason },
        });
    } else if (s.proof?.status === 'pending' && s.proof.reason)
      noteReason.run(s.proof.reason, s.proof.proofId);
  }

  /**
   * Renders and files a proof for each delivered task that has none (works offline). One proof per
   * task: one the hub refused stays refused and shown, for a person to look at, never re-made in a loop.
   */
  async function fileMissingOnce(): Promise<number> {
    const hubUrl = deps.hubUrl();
    if (!hubUrl) return 0;
    let filed = 0;
    for (const row of needingProof.all(...DELIVERED_EQUIVALENT)) {
      const snapshot = TaskSnapshot.parse(JSON.parse(row.snapshot));
      const at = deps.nowIso();
      const proofId = newProofId(at);
      const head = deps.audit.head();
      let facts;
      try {
        facts = gatherProofFacts(snapshot, {
          proofId,
          issuedAt: at,
          hubUrl,
          specialist: deps.specialist(),
          callingNumber: deps.callingNumber(),
          audit: { seq: Math.max(head.seq, 1), headHash: head.hash, at },
        });
      } catch (error) {
        deps.log.warn({ err: error, taskId: row.taskId }, 'no proof of service can be made yet');
        continue;
      }
      const pdf = await (await rendererOf())(facts);
      const file = keep(pdf, '');
      deps.write(() =>
        db.transaction(() => {
          insertProof.run({
            proofId,
            taskId: row.taskId,
            facts: JSON.stringify(facts),
            sha256: file.sha256,
            path: file.path,
            at,
          });
          deps.audit.append({
            at,
            actor: deps.specialist().id,
            type: 'proof.rendered',
            taskId: row.taskId,
            data: { proofId, sha256: file.sha256, sealed: false },
          });
          deps.sync.proofFiled?.(
            row.taskId,
            uuidv7(),
            { proofId, pdfSha256: file.sha256, bytes: pdf.byteLength, facts },
            at,
          );
          deps.blobs.uploadBlob(file.sha256, file.path, at);
        })(),
      );
      deps.log.info({ proofId, taskId: row.taskId }, 'proof of service rendered, not yet sealed');
      filed++;
    }
    return filed;
  }

  // The timer and each sync cycle both ask. A second run started while one awaits its render would
  // read the same tasks as still without a proof and file each twice; today the render never yields
  // to a timer (it loads and draws synchronously), but nothing in its signature promises that.
  // Callers share the run in flight.
  let filing: Promise<number> | null = null;
  const fileMissing = (): Promise<number> =>
    (filing ??= fileMissingOnce().finally(() => {
      filing = null;
    }));

  /** Downloads each sealed proof the hub announced; checks it seals exactly the desk's bytes. */
  async function downloadSealed(hub: HubClient): Promise<number> {
    let downloaded = 0;
    for (const row of unsealed.all()) {
      const snapshot = TaskSnapshot.parse(JSON.parse(row.snapshot));
      const view = snapshot.proof;
      if (!view || view.proofId !== row.proofId || view.status !== 'sealed' || !view.sealedSha256) continue;
      const sealed = await hub.blob(view.sealedSha256);
      const ours = readFileSync(row.unsealedPath);
      // The seal is an incremental update: the desk's bytes (less a final newline) come first.
      const body = ours.at(-1) === 0x0a ? ours.subarray(0, -1) : ours;
      if (
        sha256(sealed) !== view.sealedSha256 ||
        !Buffer.from(sealed.subarray(0, body.length)).equals(body)
      ) {
        deps.log.error({ proofId: row.proofId }, 'the sealed proof from the hub is not a seal of this proof');
        continue;
      }
      const file = keep(sealed, '.sealed');
      const at = deps.nowIso();
      deps.write(() =>
        db.transaction(() => {
          if (markSealed.run(file.sha256, file.path, view.sealedAt ?? at, row.proofId).changes === 0) return;
          deps.audit.append({
            at,
            actor: 'hub',
            type: 'proof.sealed',
            taskId: row.taskId,
            data: { proofId: row.proofId, sealedSha256: file.sha256, sealedAt: view.sealedAt },
          });
        })(),
      );
      downloaded++;
    }
    return downloaded;
  }

  return {
    rememberSnapshot,
    fileMissing,
    downloadSealed,
    proof: (proofId: string) => byId.get(proofId) ?? null,
    proofOfTask: (taskId: number) => ofTask.get(taskId) ?? null,
  };
}
export type ProofFiling = ReturnType<typeof createProofFiling>;
