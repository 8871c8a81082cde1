// What a case system learns back about a task it sent (issue 9): GET /intake/tasks/:sourceTaskId/result
// with its API key, and the same document in the callbacks the hub POSTs to the key's callback URL
// (on delivered and on proof sealed), signed with HMAC-SHA256 over `<timestamp>.<body>`:
//   x-delivery-desk-event: delivered | proof_sealed
//   x-delivery-desk-timestamp: <unix seconds>
//   x-delivery-desk-signature: sha256=<hex HMAC(secret, timestamp + "." + raw body)>
import { z } from 'zod';
import { EFFECT_BASES, EFFECT_RULES } from '../domain/legalEffect';
import { TASK_STATUSES } from '../domain/model';
import { PROOF_STATUSES } from './proof';

export const CALLBACK_EVENTS = ['delivered', 'proof_sealed'] as const;
export type CallbackEvent = (typeof CALLBACK_EVENTS)[number];
export const CALLBACK_SIGNATURE_HEADER = 'x-delivery-desk-signature';
export const CALLBACK_TIMESTAMP_HEADER = 'x-delivery-desk-timestamp';
export const CALLBACK_EVENT_HEADER = 'x-delivery-desk-event';

export const CaseResult = z.object({
  taskId: z.string(),
  sourceSystem: z.string(),
  sourceTaskId: z.string(),
  status: z.enum(TASK_STATUSES),
  /** The service's legal effect as the sealed proof's facts give it (common/domain/legalEffect). */
  effect: z
    .object({
      effective: z.boolean(),
      rule: z.enum(EFFECT_RULES),
      basis: z.enum(EFFECT_BASES),
      serviceDate: z.string().nullable(),
    })
    .nullable(),
  proof: z
    .object({
      proofId: z.string(),
      status: z.enum(PROOF_STATUSES),
      sealedSha256: z.string().nullable(),
      sealedAt: z.string().nullable(),
      /** The sealed PDF, with the same API key; null until sealed. */
      pdfUrl: z.string().nullable(),
      /** The evidence bundle (ZIP) of the service; null until sealed. */
      bundleUrl: z.string().nullable(),
    })
    .nullable(),
  updatedAt: z.string(),
});
export type CaseResult = z.infer<typeof CaseResult>;

export const CallbackBody = z.object({ event: z.enum(CALLBACK_EVENTS), at: z.string(), result: CaseResult });
export type CallbackBody = z.infer<typeof CallbackBody>;
