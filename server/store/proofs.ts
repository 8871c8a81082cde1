import { applyTaskEvent } from '../../common/domain/taskMachine';
import type { ProofFacts } from '../../common/proof/proofFacts';
import type { ProofBody, ProofView } from '../../common/sync/proof';
import type { HubDb, Queryable } from '../db/driver';
import { createLogger } from '../logger';
import type { LoadedSeal } from '../seal/loadSeal';
import { sealPdf } from '../seal/pdfSigner';
import { sha256Of, storeBlob } from './blobs';
import { recordChanges } from './changes';
import { messagesOfTasks, taskIntake } from './messages';
import { audit, type TaskRow } from './tasks';

// Proofs of service on the hub (migration 008): filed from a desk's `proof` fact, sealed once
// their PDF blob is in and a seal is configured, after their facts were checked against what the
// hub itself recorded. Sealing runs after the push or upload that made a proof ready (and at
// start), one proof per transaction, claimed with SKIP LOCKED so hub instances share the work.

const log = createLogger('proofs');

export class ProofConflict extends Error {}

/** Files the proof a desk pushed (in the push's transaction); sealing comes later. */
export async function fileProof(
  tx: Queryable,
  task: TaskRow,
  factId: string,
  body: ProofBody,
): Promise<void> {
  const [existing] = await tx.query<{ task_id: string; unsealed_sha256: string }>(
    'SELECT task_id, unsealed_sha256 FROM proofs WHERE id = $1',
    [body.proofId],
  );
  if (existing) {
    if (existing.task_id === task.id && existing.unsealed_sha256 === body.pdfSha256) return;
    throw new ProofConflict(`proof ${body.proofId} was filed already with other content`);
  }
  await tx.query(
    `INSERT INTO proofs (id, task_id, fact_id, unsealed_sha256, facts) VALUES ($1, $2, $3, $4, $5)`,
    [body.proofId, task.id, factId, body.pdfSha256, JSON.stringify(body.facts)],
  );
  await audit(tx, {
    actorId: null,
    action: 'proof.filed',
    taskId: task.id,
    details: { proofId: body.proofId, unsealedSha256: body.pdfSha256 },
  });
}

/**
 * Where the proof's facts contradict the hub's own records (empty when they agree): each
 * document's hash against the intake's, the consent recording against the consent facts, and each
 * channel against the messages the hub sent. What the hub has no record of is not judged here.
 */
export async function proofFactMismatches(
  tx: Queryable,
  taskId: string,
  facts: ProofFacts,
): Promise<string[]> {
  const problems: string[] = [];
  const intake = await taskIntake(tx, taskId);
  const known = new Set(intake.documents.map((d) => d.sha256).filter((s): s is string => s !== null));
  if (known.size > 0)
    for (const doc of facts.documents)
      if (!known.has(doc.sha256))
        problems.push(`document “${doc.title}”: SHA-256 ${doc.sha256} is not the task’s`);

  const onCall = facts.consent.onCall;
  if (onCall) {
    const consents = await tx.query<{ sha: string | null }>(
      `SELECT body->>'recordingSha256' AS sha FROM facts WHERE task_id = $1 AND kind = 'consent'`,
      [taskId],
    );
    const hashes = consents.map((c) => c.sha).filter((s): s is string => s !== null);
    if (hashes.length > 0 && !hashes.includes(onCall.recordingSha256))
      problems.push(`consent: recording ${onCall.recordingSha256} is not the consent the hub recorded`);
  }

  const messages = await messagesOfTasks(tx, [taskId]);
  if (messages.length > 0)
    for (const channel of facts.channels)
      if (!messages.some((m) => m.channel === channel.channel && m.address === channel.address))
        problems.push(`channel ${channel.channel} to ${channel.address}: the hub sent no such message`);
  return problems;
}

interface ClaimedProof {
  id: string;
  task_id: string;
  team_id: string;
  status: TaskRow['status'];
  method: TaskRow['method'];
  unsealed_sha256: string;
  facts: ProofFacts;
  data: Uint8Array;
}

/** Seals one ready proof, or answers false when none is waiting. */
async function sealNext(db: HubDb, seal: LoadedSeal | null, now: () => Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [proof] = await tx.query<ClaimedProof>(
      `SELECT p.id, p.task_id, t.team_id, t.status, t.method, p.unsealed_sha256, p.facts, b.data
         FROM proofs p JOIN tasks t ON t.id = p.task_id JOIN blobs b ON b.sha256 = p.unsealed_sha256
        WHERE p.status = 'pending' AND (p.reason IS DISTINCT FROM $1)
        ORDER BY p.filed_at LIMIT 1
        FOR UPDATE OF p SKIP LOCKED`,
      [seal ? '' : NO_SEAL],
    );
    if (!proof) return false;
    const refuse = async (reason: string) => {
      await tx.query(`UPDATE proofs SET status = 'refused', reason = $2 WHERE id = $1`, [proof.id, reason]);
      await audit(tx, {
        actorId: null,
        action: 'proof.refused',
        taskId: proof.task_id,
        details: { proofId: proof.id, reason },
      });
      log.warn({ proofId: proof.id, reason }, 'proof refused');
    };
    const pdf = new Uint8Array(proof.data);
    if (sha256Of(pdf) !== proof.unsealed_sha256)
      await refuse('the PDF does not hash to the SHA-256 it was filed under');
    else if (!/^%PDF-/.test(Buffer.from(pdf.subarray(0, 8)).toString('latin1')))
      await refuse('the file is not a PDF');
    else {
      const mismatches = await proofFactMismatches(tx, proof.task_id, proof.facts);
      if (mismatches.length > 0)
        await refuse(`its facts contradict the hub's records: ${mismatches.join('; ')}`);
      else if (!seal) {
        await tx.query('UPDATE proofs SET reason = $2 WHERE id = $1', [proof.id, NO_SEAL]);
        log.warn({ proofId: proof.id }, NO_SEAL);
      } else {
        const signingTime = now();
        let sealed: Uint8Array;
        try {
          sealed = await sealPdf(pdf, seal.identity, { signingTime });
        } catch (error) {
          // A PDF the signer cannot read is refused, not retried for ever ahead of the others.
          await refuse(`the PDF could not be sealed: ${(error as Error).message}`);
          await recordChanges(tx, proof.team_id, [proof.task_id]);
          return true;
        }
        const sealedSha256 = sha256Of(sealed);
        await storeBlob(tx, sealedSha256, Buffer.from(sealed));
        await tx.query(
          `UPDATE proofs SET status = 'sealed', reason = NULL, sealed_sha256 = $2, sealed_at = $3, signer = $4 WHERE id = $1`,
          [proof.id, sealedSha256, signingTime, seal.identity.signerName],
        );
        const next = applyTaskEvent({ status: proof.status, method: proof.method }, { type: 'issue_proof' });
        if (next.ok)
          await tx.query('UPDATE tasks SET status = $2, updated_at = now() WHERE id = $1', [
            proof.task_id,
            next.status,
          ]);
        await audit(tx, {
          actorId: null,
          action: 'proof.sealed',
          taskId: proof.task_id,
          details: {
            proofId: proof.id,
            sealedSha256,
            ...(next.ok ? { event: { type: 'issue_proof' }, from: proof.status, to: next.status } : {}),
          },
        });
        log.info({ proofId: proof.id, sealedSha256 }, 'proof sealed');
      }
    }
    await recordChanges(tx, proof.team_id, [proof.task_id]);
    return true;
  });
}

const NO_SEAL = 'the hub has no seal certificate configured: the proof waits unsealed';

/** Seals every proof that is ready; answers how many were settled (sealed, refused or parked). */
export async function sealPendingProofs(
  db: HubDb,
  seal: LoadedSeal | null,
  now = () => new Date(),
): Promise<number> {
  let settled = 0;
  while (await sealNext(db, seal, now)) settled++;
  return settled;
}

interface ProofRow {
  id: string;
  task_id: string;
  unsealed_sha256: string;
  sealed_sha256: string | null;
  sealed_at: Date | null;
  status: ProofView['status'];
  reason: string | null;
}

/** Each task's latest proof, as task snapshots carry it. */
export async function proofViewsByTask(
  db: Queryable,
  taskIds: readonly string[],
): Promise<Map<string, ProofView>> {
  const rows = await db.query<ProofRow>(
    `SELECT DISTINCT ON (task_id) id, task_id, unsealed_sha256, sealed_sha256, sealed_at, status, reason
       FROM proofs WHERE task_id = ANY($1::uuid[]) ORDER BY task_id, filed_at DESC, id DESC`,
    [[...taskIds]],
  );
  return new Map(
    rows.map((r) => [
      r.task_id,
      {
        proofId: r.id,
        unsealedSha256: r.unsealed_sha256,
        sealedSha256: r.sealed_sha256,
        sealedAt: r.sealed_at ? r.sealed_at.toISOString() : null,
        status: r.status,
        reason: r.reason,
      },
    ]),
  );
}
