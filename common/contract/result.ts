import { z } from 'zod';

/** Errors cross the process boundary with their meaning: a stable code plus a readable message. */
export const ERROR_CODES = [
  'invalid_request', // the message broke its schema; nothing was changed
  'unknown_method',
  'not_found',
  'refused', // a domain rule said no (illegal transition, outside calling hours, …)
  'bad_file', // an intake file that cannot be read as a whole
  'insecure_hub_url', // a hub address that is not https (plain http only on loopback)
  'hub_unreachable', // the hub did not answer (offline): nothing reached the center
  'unauthorized', // no session, or the hub refused the login or the token
  'forbidden', // the hub says this user may not do it (e.g. not a lead)
  'not_configured', // no hub is configured on this desk
  'internal',
] as const;
export const DeskError = z.object({
  code: z.enum(ERROR_CODES),
  /** English, for logs and tools; a desk shows the error by its code (see refusals.ts). */
  message: z.string(),
  /** For refused, not_found and bad_file: `{ code, params }`, a refusal of refusals.ts. */
  details: z.unknown().optional(),
});
export type DeskError = z.infer<typeof DeskError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: DeskError };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: DeskError }),
  ]);
}

/** Thrown by service code to answer with a specific error code; anything else is 'internal'. */
export class DeskFailure extends Error {
  constructor(
    readonly code: DeskError['code'],
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DeskFailure';
  }
}
