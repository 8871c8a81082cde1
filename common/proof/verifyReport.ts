import { z } from 'zod';

// What the hub answers to `POST /verify` (a proof PDF) and `GET /verify/:proofId` (the id from the
// QR code): whether it filed that proof, the seal's verdict, each fact the proof states checked
// against the hub's records, and the service date and rule. Public, so personal data (addresses,
// names) is masked. The CLI (`npm run verify -- --hub`) and the verify page read the same shape.

export const FACT_CHECKS = [
  'filed',
  'same_pdf',
  'facts',
  'documents',
  'consent_recording',
  'address_confirmation',
  'messages',
  'arrival',
  'portal_events',
  'effect',
] as const;
export type FactCheck = (typeof FACT_CHECKS)[number];

export const VerifyFactSchema = z.object({
  check: z.enum(FACT_CHECKS),
  matches: z.boolean(),
  /** What was compared, masked. */
  detail: z.string(),
});
export type VerifyFact = z.infer<typeof VerifyFactSchema>;

export const VerifySealSchema = z.object({
  ok: z.boolean(),
  signer: z.string().nullable(),
  signedAt: z.string().nullable(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
});

export const VerifyReportSchema = z.object({
  proofId: z.string().nullable(),
  /** valid: filed, sealed and every fact matches; invalid: something does not; unknown: not filed here. */
  verdict: z.enum(['valid', 'invalid', 'unknown']),
  /** The first reason it is not valid (a seal reason, `not_filed`, `not_the_filed_proof`, `facts_differ`). */
  reason: z.string().nullable(),
  message: z.string(),
  seal: VerifySealSchema.nullable(),
  facts: z.array(VerifyFactSchema),
  caseNumber: z.string().nullable(),
  court: z.string().nullable(),
  serviceDate: z.string().nullable(),
  basis: z.string().nullable(),
  rule: z.string().nullable(),
  /** The SHA-256 of the proof as filed (sealed), to compare with a copy at hand. */
  proofSha256: z.string().nullable(),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

/** The verify page's address for a proof: what its QR code carries. */
export function verifyPageUrl(hubUrl: string, proofId: string): string {
  return `${hubUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(proofId)}`;
}
