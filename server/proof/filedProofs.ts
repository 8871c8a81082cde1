import { ProofFactsSchema } from '../../common/proof/proofFacts';
import type { Queryable } from '../db/driver';
import type { FiledProof } from './bundle';

// A proof as the hub filed it (SEAL's `proofs` table, migration 008), with its PDF — sealed when
// it is — and the audit excerpt the desk sent with it (the proof fact's `auditExcerptSha256`).

export interface FiledProofRecord extends FiledProof {
  status: 'pending' | 'sealed' | 'refused';
  reason: string | null;
  teamId: string;
  sourceSystem: string;
}

interface Row {
  id: string;
  task_id: string;
  team_id: string;
  source_system: string;
  facts: unknown;
  status: FiledProofRecord['status'];
  reason: string | null;
  sealed_at: Date | null;
  signer: string | null;
  excerpt: string | null;
  data: Uint8Array | null;
}

export async function filedProof(db: Queryable, proofId: string): Promise<FiledProofRecord | null> {
  const [row] = await db.query<Row>(
    `SELECT p.id, p.task_id, t.team_id, t.source_system, p.facts, p.status, p.reason, p.sealed_at, p.signer,
            f.body->>'auditExcerptSha256' AS excerpt, b.data
       FROM proofs p JOIN tasks t ON t.id = p.task_id JOIN facts f ON f.id = p.fact_id
       LEFT JOIN blobs b ON b.sha256 = COALESCE(p.sealed_sha256, p.unsealed_sha256)
      WHERE p.id = $1`,
    [proofId],
  );
  if (!row) return null;
  return {
    proofId: row.id,
    taskId: row.task_id,
    teamId: row.team_id,
    sourceSystem: row.source_system,
    pdf: row.data ? new Uint8Array(row.data) : new Uint8Array(),
    facts: ProofFactsSchema.parse(row.facts),
    status: row.status,
    reason: row.reason,
    sealedAt: row.sealed_at ? row.sealed_at.toISOString() : null,
    sealSigner: row.signer,
    auditExcerptSha256: row.excerpt,
  };
}
