import { computeLegalEffect, type LegalEffect } from '../../common/domain/legalEffect';
import type { TaskStatus } from '../../common/domain/model';
import { effectFactsOf, type ProofFacts } from '../../common/proof/proofFacts';
import type { CaseResult } from '../../common/sync/caseResult';
import type { ProofStatus } from '../../common/sync/proof';
import type { Queryable } from '../db/driver';
import { HubError } from '../errors';

// A task's result as its case system reads it (GET /intake/tasks/:sourceTaskId/result and the
// callbacks): found by the case system's own task id, within its source system and team only.

export interface CaseSystem {
  sourceSystem: string;
  teamId: string;
}

/** The task the case system sent as `sourceTaskId`, or not_found (also for another system's). */
export async function taskIdBySource(
  db: Queryable,
  system: CaseSystem,
  sourceTaskId: string,
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `SELECT id FROM tasks WHERE team_id = $1 AND source_system = $2 AND source_task_id = $3`,
    [system.teamId, system.sourceSystem, sourceTaskId],
  );
  if (!row) throw new HubError('not_found', `no task ${sourceTaskId} from ${system.sourceSystem}`);
  return row.id;
}

interface ResultRow {
  id: string;
  status: TaskStatus;
  source_system: string;
  source_task_id: string;
  updated_at: Date;
  proof_id: string | null;
  proof_status: ProofStatus | null;
  sealed_sha256: string | null;
  sealed_at: Date | null;
  facts: ProofFacts | null;
  hub_effect: LegalEffect | null;
}

export async function caseResult(db: Queryable, taskId: string): Promise<CaseResult> {
  const [row] = await db.query<ResultRow>(
    `SELECT t.id, t.status, t.source_system, t.source_task_id,
            t.updated_at, p.id AS proof_id, p.status AS proof_status, p.sealed_sha256, p.sealed_at, p.facts,
            e.effect AS hub_effect
       FROM tasks t
       LEFT JOIN delivery_effects e ON e.task_id = t.id
       LEFT JOIN LATERAL (SELECT * FROM proofs WHERE task_id = t.id ORDER BY (status = 'sealed') DESC, filed_at DESC LIMIT 1) p
         ON true
      WHERE t.id = $1`,
    [taskId],
  );
  if (!row) throw new HubError('not_found', 'no such task');
  const sealed = row.proof_status === 'sealed' && row.proof_id !== null;
  // The sealed proof's own facts once there is one; before it, the effect the hub judged from its
  // records when the task was delivered (server/send/deliveryEffect.ts).
  const effect = sealed && row.facts ? computeLegalEffect(effectFactsOf(row.facts)) : row.hub_effect;
  const source = encodeURIComponent(row.source_task_id);
  return {
    taskId: row.id,
    sourceSystem: row.source_system,
    sourceTaskId: row.source_task_id,
    status: row.status,
    effect: effect
      ? {
          effective: effect.effective,
          rule: effect.rule,
          basis: effect.basis,
          serviceDate: effect.serviceDate,
        }
      : null,
    proof: row.proof_id
      ? {
          proofId: row.proof_id,
          status: row.proof_status!,
          sealedSha256: row.sealed_sha256,
          sealedAt: row.sealed_at ? row.sealed_at.toISOString() : null,
          pdfUrl: sealed ? `/intake/tasks/${source}/result/proof.pdf` : null,
          bundleUrl: sealed ? `/proofs/${encodeURIComponent(row.proof_id)}/bundle` : null,
        }
      : null,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The task's sealed proof PDF, or not_found while there is none. */
export async function sealedProofPdf(
  db: Queryable,
  taskId: string,
): Promise<{ proofId: string; pdf: Buffer }> {
  const [row] = await db.query<{ id: string; data: Uint8Array }>(
    `SELECT p.id, b.data FROM proofs p JOIN blobs b ON b.sha256 = p.sealed_sha256
      WHERE p.task_id = $1 AND p.status = 'sealed' ORDER BY p.sealed_at DESC LIMIT 1`,
    [taskId],
  );
  if (!row) throw new HubError('not_found', 'the task has no sealed proof yet');
  return { proofId: row.id, pdf: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
}
