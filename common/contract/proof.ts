import { z } from 'zod';

// The proof of service in the desk's task view (issue 9): whether the task's 送达回证 exists, is
// sealed by the hub yet, or was refused by it; and its PDF (unsealed or sealed) to open or save.
const Id = z.number().int().positive();

export const ProofState = z.object({
  proofId: z.string(),
  status: z.enum(['unsealed', 'sealed', 'refused']),
  unsealedSha256: z.string(),
  sealedSha256: z.string().nullable(),
  sealedAt: z.iso.datetime({ offset: true }).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Why the hub has not sealed it (no seal configured yet) or refused it. */
  hubReason: z.string().nullable(),
});
export type ProofState = z.infer<typeof ProofState>;

export const proofCalls = {
  /** The task's latest proof of service, or null while there is none. */
  taskProof: { params: z.strictObject({ taskId: Id }), result: ProofState.nullable() },
  /** The proof's PDF: the sealed one when asked and present, else the desk's unsealed one. */
  proofRead: {
    params: z.strictObject({ proofId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/), sealed: z.boolean() }),
    result: z.object({ fileName: z.string(), sealed: z.boolean(), dataBase64: z.string() }),
  },
} as const;
