import { z } from 'zod';

// The answer of an intake (a desk's file import or the hub's intake API): its own module, so the
// hub's API schemas can use it without importing the whole desk contract.
export const IntakeReport = z.object({
  accepted: z.number().int(),
  duplicates: z.array(z.number().int()),
  rejected: z.array(
    z.object({
      row: z.number().int(),
      field: z.string(),
      reason: z.string(),
      /** An IntakeReasonCode (common/intake/reasonCodes.ts): the UI translates `intakeReason.<code>`. */
      code: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
});
export type IntakeReport = z.infer<typeof IntakeReport>;
