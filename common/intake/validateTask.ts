import { normalizeDate } from './calendarDate';
import { normalizeCaseNumber } from './caseNumber';
import { parseMethod, parsePartyKind, parsePriority } from './enumLabels';
import { toHalfWidth } from './halfWidth';
import { normalizePartyId } from './idNumber';
import { normalizePhone, type NormalizedPhone } from './phone';
import type { IntakeReasonCode, IntakeReasonParams } from './reasonCodes';
import type { FieldResult } from './result';
import {
  MAX_ADDRESS,
  MAX_LIST_ITEMS,
  MAX_NOTES,
  MAX_TEXT,
  SHA256_HEX,
  type IntakeDocument,
  type IntakeTask,
} from './taskSchema';

/**
 * A rejected field, named as the CSV column (caseNumber, partyName, phones, …): a stable `code`
 * with its `params` for a translated message, and the English `reason` as the fallback.
 */
export interface FieldError {
  field: string;
  reason: string;
  code: IntakeReasonCode;
  params?: IntakeReasonParams;
}

export type TaskValidation = { ok: true; task: IntakeTask } | { ok: false; errors: FieldError[] };

/** Used when the case system does not say where a task came from (e.g. a hand-made file). */
export const DEFAULT_SOURCE_SYSTEM = 'file';

type Fields = Readonly<Record<string, unknown>>;
const NO_FIELDS: Fields = {};
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const WHITESPACE = /\s+/g;
/** Long enough to recognise a value in an error message, short enough for one line of the UI. */
const QUOTED_VALUE_LENGTH = 40;

function asFields(value: unknown): Fields | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
}

const samePhone = (a: NormalizedPhone, b: NormalizedPhone): boolean =>
  a.digits === b.digits && a.extension === b.extension;

const shorten = (value: string): string =>
  value.length > QUOTED_VALUE_LENGTH ? `${value.slice(0, QUOTED_VALUE_LENGTH)}…` : value;

/**
 * Reads loosely typed input field by field, collecting every problem rather than stopping at the
 * first, so that one pass over a file tells the clerk everything to fix in a row.
 * Hand-written rather than a zod parse: intake files reach 100,000 rows and this path is hot.
 */
class TaskReader {
  readonly errors: FieldError[] = [];

  fail(field: string, code: IntakeReasonCode, reason: string, params?: IntakeReasonParams): void {
    this.errors.push(params === undefined ? { field, reason, code } : { field, reason, code, params });
  }

  /** Trimmed text; '' when absent. Numbers are accepted as text (ids often arrive as numbers). */
  text(value: unknown, field: string, max = MAX_TEXT): string {
    if (value === undefined || value === null) return '';
    const text =
      typeof value === 'string'
        ? value.trim()
        : typeof value === 'number' && Number.isFinite(value)
          ? String(value)
          : null;
    if (text === null) {
      this.fail(field, 'not_text', 'must be text');
      return '';
    }
    if (text.length > max) this.fail(field, 'too_long', `must be at most ${max} characters`, { max });
    return text;
  }

  required(value: unknown, field: string): string {
    const text = this.text(value, field);
    if (text === '') this.fail(field, 'required', 'is required');
    return text;
  }

  optional(value: unknown, field: string): string | null {
    const text = this.text(value, field);
    return text === '' ? null : text;
  }

  /** The checked value, or `fallback` after recording why the field was rejected. */
  checked<T>(result: FieldResult<T>, field: string, fallback: T): T {
    if (result.ok) return result.value;
    this.fail(field, result.code, result.reason, result.params);
    return fallback;
  }

  /** A field holding one value parsed by `parse`; absent values are passed as ''. */
  parsed<T>(value: unknown, field: string, parse: (text: string) => FieldResult<T>, fallback: T): T {
    return this.checked(parse(this.text(value, field)), field, fallback);
  }

  /** A list field; a single value counts as a one-item list. */
  list(value: unknown, field: string): readonly unknown[] {
    if (value === undefined || value === null || value === '') return [];
    const items = Array.isArray(value) ? value : [value];
    if (items.length > MAX_LIST_ITEMS) {
      this.fail(field, 'too_many_items', `must have at most ${MAX_LIST_ITEMS} items`, {
        max: MAX_LIST_ITEMS,
      });
    }
    return items;
  }

  phones(value: unknown): NormalizedPhone[] {
    const phones: NormalizedPhone[] = [];
    for (const item of this.list(value, 'phones')) {
      const text = this.text(item, 'phones');
      if (text === '') continue;
      const phone = normalizePhone(text);
      if (!phone.ok) {
        const shown = shorten(text);
        this.fail('phones', phone.code, `phone "${shown}": ${phone.reason}`, {
          ...phone.params,
          phone: shown,
        });
      }
      // The same number written twice ("138…" and "+86 138…") is one number.
      else if (!phones.some((known) => samePhone(known, phone.value))) phones.push(phone.value);
    }
    return phones;
  }

  addresses(value: unknown): string[] {
    const addresses: string[] = [];
    for (const item of this.list(value, 'addresses')) {
      const address = this.text(item, 'addresses', MAX_ADDRESS);
      if (address !== '' && !addresses.includes(address)) addresses.push(address);
    }
    return addresses;
  }

  email(value: unknown): string | null {
    // Chinese input methods type ＠ and full-width letters; fold them before checking.
    const text = toHalfWidth(this.text(value, 'email')).replace(WHITESPACE, '');
    if (text === '') return null;
    if (!EMAIL.test(text)) {
      this.fail('email', 'email_invalid', 'is not a valid e-mail address');
      return null;
    }
    const at = text.lastIndexOf('@');
    return text.slice(0, at) + text.slice(at).toLowerCase();
  }

  documents(value: unknown): IntakeDocument[] {
    const items = this.list(value, 'documents');
    if (items.length === 0) this.fail('documents', 'documents_required', 'at least one document is required');
    const documents: IntakeDocument[] = [];
    items.forEach((item, index) => {
      const document = this.document(item, index + 1);
      if (document) documents.push(document);
    });
    return documents;
  }

  /** A document is an object, or just its title (as in CSV). */
  private document(item: unknown, index: number): IntakeDocument | null {
    const fields = asFields(item) ?? { title: item };
    const label = `document ${index}`;
    const problems = this.errors.length;
    const title = this.text(fields.title, 'documents');
    if (title === '') {
      this.fail('documents', 'document_title_required', `${label}: title is required`, { index });
    }
    const document: IntakeDocument = {
      title,
      kind: this.text(fields.kind, 'documents'),
      fileName: this.optional(fields.fileName, 'documents'),
      sha256: this.sha256(fields.sha256, index),
      pages: this.pages(fields.pages, index),
    };
    return this.errors.length === problems ? document : null;
  }

  private sha256(value: unknown, index: number): string | null {
    const text = this.text(value, 'documents').toLowerCase();
    if (text === '') return null;
    if (SHA256_HEX.test(text)) return text;
    this.fail('documents', 'document_sha256', `document ${index}: sha256 must be 64 hexadecimal characters`, {
      index,
    });
    return null;
  }

  private pages(value: unknown, index: number): number | null {
    const text = this.text(value, 'documents');
    if (text === '') return null;
    const pages = Number(text);
    if (Number.isInteger(pages) && pages > 0) return pages;
    this.fail('documents', 'document_pages', `document ${index}: pages must be a positive whole number`, {
      index,
    });
    return null;
  }
}

/**
 * Validates one intake task (the JSON shape of DOMAIN.md; CSV rows are converted to it first)
 * and returns it normalised, or every field error found.
 */
export function validateTaskInput(raw: unknown): TaskValidation {
  const input = asFields(raw);
  if (input === null) {
    return { ok: false, errors: [{ field: 'task', reason: 'task must be an object', code: 'not_object' }] };
  }
  const caseFields = asFields(input.case) ?? NO_FIELDS;
  const partyFields = asFields(input.party) ?? NO_FIELDS;
  const read = new TaskReader();

  const kind = read.parsed(partyFields.kind, 'partyKind', parsePartyKind, 'person');
  const partyId = read.checked(
    normalizePartyId(
      read.text(partyFields.idType, 'idType'),
      read.text(partyFields.idNumber, 'idNumber'),
      kind,
    ),
    'idNumber',
    { idType: '', idNumber: '' },
  );
  const contactErrors = read.errors.length;
  const phones = read.phones(partyFields.phones);
  const addresses = read.addresses(partyFields.addresses);
  const email = read.email(partyFields.email);
  // Reject only when the party cannot be reached at all. Electronic delivery starts with a call,
  // but an address-only task can still be worked (lookup, or escalation to postal delivery), and
  // when a given phone, address or e-mail was invalid that error already explains the rejection.
  if (
    phones.length === 0 &&
    addresses.length === 0 &&
    email === null &&
    read.errors.length === contactErrors
  ) {
    read.fail('phones', 'no_contact', 'party needs at least one phone, address or e-mail');
  }

  const task: IntakeTask = {
    sourceSystem: read.text(input.sourceSystem, 'sourceSystem') || DEFAULT_SOURCE_SYSTEM,
    sourceTaskId: read.required(input.sourceTaskId, 'sourceTaskId'),
    case: {
      number: read.parsed(caseFields.number, 'caseNumber', normalizeCaseNumber, ''),
      cause: read.text(caseFields.cause, 'cause'),
      court: read.required(caseFields.court, 'court'),
      department: read.text(caseFields.department, 'department'),
      judge: read.text(caseFields.judge, 'judge'),
      clerk: read.text(caseFields.clerk, 'clerk'),
    },
    party: {
      name: read.required(partyFields.name, 'partyName'),
      kind,
      role: read.text(partyFields.role, 'partyRole'),
      idType: partyId.idType,
      idNumber: partyId.idNumber,
      phones,
      addresses,
      email,
      representative: read.optional(partyFields.representative, 'representative'),
    },
    documents: read.documents(input.documents),
    method: read.parsed(input.method, 'method', parseMethod, 'electronic'),
    deadline: read.parsed(input.deadline, 'deadline', emptyOrDate, null),
    priority: read.parsed(input.priority, 'priority', parsePriority, 'normal'),
    notes: read.text(input.notes, 'notes', MAX_NOTES),
  };
  return read.errors.length === 0 ? { ok: true, task } : { ok: false, errors: read.errors };
}

function emptyOrDate(text: string): FieldResult<string | null> {
  return text === '' ? { ok: true, value: null } : normalizeDate(text);
}
