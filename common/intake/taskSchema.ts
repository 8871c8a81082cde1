import { z } from 'zod';
import { METHODS, PARTY_KINDS, PRIORITIES } from '../domain/model';
import type { NormalizedPhone } from './phone';

/** Length caps: generous for real data, small enough to stop a pasted document landing in a name. */
export const MAX_TEXT = 200;
export const MAX_ADDRESS = 500;
export const MAX_NOTES = 2000;
export const MAX_LIST_ITEMS = 50;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

const text = z.string().max(MAX_TEXT);

export const NormalizedPhoneSchema = z.object({
  kind: z.enum(['mobile', 'landline']),
  digits: z.string().regex(/^\d{10,12}$/),
  extension: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
  display: z.string().min(1),
}) satisfies z.ZodType<NormalizedPhone>;

export const IntakeDocument = z.object({
  title: z.string().min(1).max(MAX_TEXT),
  kind: text,
  fileName: z.string().max(MAX_TEXT).nullable(),
  sha256: z.string().regex(SHA256_HEX).nullable(),
  pages: z.number().int().positive().nullable(),
});
export type IntakeDocument = z.infer<typeof IntakeDocument>;

/**
 * A task as it leaves intake: normalised and checked. `validateTaskInput` produces it from
 * JSON or CSV input (with defaults, label mapping and per-field reasons); this schema re-checks
 * an already normalised task where one crosses a boundary (IPC, sync).
 */
export const IntakeTask = z.object({
  sourceSystem: z.string().min(1).max(MAX_TEXT),
  sourceTaskId: z.string().min(1).max(MAX_TEXT),
  case: z.object({
    number: z.string().min(1).max(MAX_TEXT),
    cause: text,
    court: z.string().min(1).max(MAX_TEXT),
    department: text,
    judge: text,
    clerk: text,
  }),
  party: z.object({
    name: z.string().min(1).max(MAX_TEXT),
    kind: z.enum(PARTY_KINDS),
    role: text,
    idType: text,
    idNumber: text,
    phones: z.array(NormalizedPhoneSchema).max(MAX_LIST_ITEMS),
    addresses: z.array(z.string().min(1).max(MAX_ADDRESS)).max(MAX_LIST_ITEMS),
    email: z.string().max(MAX_TEXT).nullable(),
    representative: z.string().max(MAX_TEXT).nullable(),
  }),
  documents: z.array(IntakeDocument).min(1).max(MAX_LIST_ITEMS),
  method: z.enum(METHODS),
  deadline: z.string().regex(ISO_DATE).nullable(),
  priority: z.enum(PRIORITIES),
  notes: z.string().max(MAX_NOTES),
});
export type IntakeTask = z.infer<typeof IntakeTask>;
