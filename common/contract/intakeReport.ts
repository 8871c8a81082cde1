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
  importId: z.string(),
  /** A cancelled import keeps the chunks it committed; importing the file again adds only the rest. */
  cancelled: z.boolean(),
  /** How far it got: rows of the file taken (accepted, duplicate or rejected) out of all its rows. */
  rowsProcessed: z.number().int().nonnegative(),
  totalRows: z.number().int().nonnegative(),
});
export type IntakeReport = z.infer<typeof IntakeReport>;
