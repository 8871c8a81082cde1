/**
 * Stable machine codes of intake rejections: the key a UI translates (`intakeReason.<code>`),
 * while the English `reason` stays the fallback and what the CLI prints. One code per kind of
 * problem, never per wording; `params` carry the variable parts (a phone as written, a limit).
 */
export const INTAKE_REASON_CODES = [
  // Any field
  'not_object',
  'not_text',
  'required',
  'too_long',
  'too_many_items',
  // Party ID
  'id_empty',
  'id_length',
  'id_shape',
  'id_birth_date',
  'id_birth_future',
  'id_check_digit',
  'credit_code_shape',
  // Contact
  'phone_empty',
  'phone_characters',
  'phone_foreign',
  'phone_no_digits',
  'mobile_with_extension',
  'landline_no_area_code',
  'phone_invalid',
  'email_invalid',
  'no_contact',
  // Case, documents, delivery
  'case_number_shape',
  'documents_required',
  'document_title_required',
  'document_sha256',
  'document_pages',
  'date_format',
  'date_invalid',
  'method_unknown',
  'priority_unknown',
  'party_kind_unknown',
  // CSV row
  'column_count',
] as const;

export type IntakeReasonCode = (typeof INTAKE_REASON_CODES)[number];

/** The variable parts of a reason, interpolated into its translation by name. */
export type IntakeReasonParams = Record<string, string | number>;

const KNOWN_CODES: ReadonlySet<string> = new Set(INTAKE_REASON_CODES);

/** True for a code this build knows (a report may come from a newer or older desk). */
export function isIntakeReasonCode(code: unknown): code is IntakeReasonCode {
  return typeof code === 'string' && KNOWN_CODES.has(code);
}
