// The proof of service between desk and hub (issue 9): the desk pushes a `proof` fact (the
// unsealed PDF is uploaded as a blob under its SHA-256, the facts it was rendered from travel as
// JSON), the hub checks the facts against its own records, seals the PDF and files it with the
// task; the task snapshot's `proof` brings the sealed PDF's hash back (GET /blobs/:sha256).
// protocol.ts carries these in its facts and snapshots, so this module does not import it back.
import { z } from 'zod';
import { Sha256Schema as Sha256Hex } from '../domain/legalEffect';
import { ProofFactsSchema } from '../proof/proofFacts';

/** Largest proof PDF the hub takes (the budget is 300 KB; room for long histories). */
export const MAX_PROOF_PDF_BYTES = 4 * 1024 * 1024;

export const ProofBody = z.strictObject({
  proofId: ProofFactsSchema.shape.proofId,
  /** The unsealed PDF, uploaded as a blob before or after this fact. */
  pdfSha256: Sha256Hex,
  bytes: z.number().int().min(1).max(MAX_PROOF_PDF_BYTES),
  facts: ProofFactsSchema,
  /** The task's audit-chain excerpt (common/audit/excerpt.ts) as a blob, for the evidence bundle. */
  auditExcerptSha256: Sha256Hex.optional(),
});
export type ProofBody = z.infer<typeof ProofBody>;

export const PROOF_STATUSES = [
  'pending', // filed, waiting for its PDF blob or for a seal on the hub
  'sealed',
  'refused', // its facts contradict the hub's records (reason says which); never sealed
] as const;
export type ProofStatus = (typeof PROOF_STATUSES)[number];

export const ProofView = z.object({
  proofId: z.string(),
  unsealedSha256: Sha256Hex,
  sealedSha256: Sha256Hex.nullable(),
  sealedAt: z.iso.datetime({ offset: true }).nullable(),
  status: z.enum(PROOF_STATUSES),
  /** Why it is still pending (no seal configured, PDF not uploaded yet) or why it was refused. */
  reason: z.string().nullable(),
});
export type ProofView = z.infer<typeof ProofView>;
