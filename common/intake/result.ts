import type { IntakeReasonCode, IntakeReasonParams } from './reasonCodes';

/** Why a field was refused: a stable code, a short English reason, and the code's parameters. */
export interface FieldRejection {
  ok: false;
  code: IntakeReasonCode;
  reason: string;
  params?: IntakeReasonParams;
}

/** Outcome of normalising one field: the clean value, or why it was refused. */
export type FieldResult<T> = { ok: true; value: T } | FieldRejection;

export const accept = <T>(value: T): FieldResult<T> => ({ ok: true, value });
export const reject = (
  code: IntakeReasonCode,
  reason: string,
  params?: IntakeReasonParams,
): FieldRejection =>
  params === undefined ? { ok: false, code, reason } : { ok: false, code, reason, params };
