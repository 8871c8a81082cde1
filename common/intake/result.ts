/** Outcome of normalising one field: the clean value, or a short English reason the UI shows. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export const accept = <T>(value: T): FieldResult<T> => ({ ok: true, value });
export const reject = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
