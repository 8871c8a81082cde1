import type { PartyKind } from '../domain/model';
import { accept, reject, type FieldResult } from './result';
import { toHalfWidth } from './halfWidth';
import { isRealDate } from './calendarDate';

export const RESIDENT_ID_TYPE = '居民身份证';
export const CREDIT_CODE_TYPE = '统一社会信用代码';

// Spellings seen in case-system exports, folded to the canonical type name.
const ID_TYPE_ALIASES: Readonly<Record<string, string>> = {
  身份证: RESIDENT_ID_TYPE,
  居民身份证: RESIDENT_ID_TYPE,
  社会信用代码: CREDIT_CODE_TYPE,
  统一社会信用代码: CREDIT_CODE_TYPE,
};

/** Canonical ID type name ('' when none was given). */
export function normalizeIdType(raw: string): string {
  const trimmed = raw.trim();
  return ID_TYPE_ALIASES[trimmed] ?? trimmed;
}

// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SEVENTEEN_DIGITS = /^\d{17}$/;
const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;
const WHITESPACE = /\s+/g;
/** Nobody born before this is plausibly alive and a party to a case. */
const EARLIEST_BIRTH_YEAR = 1900;

/** The check character ('0'-'9' or 'X') for the first 17 digits of a resident ID. */
export function residentIdCheckDigit(first17: string): string {
  if (!SEVENTEEN_DIGITS.test(first17)) throw new Error('residentIdCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * CHECK_WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Upper-case, half-width, no spaces: the form IDs are stored and compared in. */
function canonicalIdText(raw: string): string {
  return toHalfWidth(raw).replace(WHITESPACE, '').toUpperCase();
}

/** Validates an 18-character PRC resident ID and returns it normalised (upper-case X, half-width). */
export function validateResidentId(raw: string, now: Date = new Date()): FieldResult<string> {
  const id = canonicalIdText(raw);
  if (id === '') return reject('id_empty', 'ID number is empty');
  if (id.length !== 18) return reject('id_length', 'resident ID must have 18 characters');
  if (!RESIDENT_ID_SHAPE.test(id)) {
    return reject('id_shape', 'resident ID must be 17 digits followed by a digit or X');
  }
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < EARLIEST_BIRTH_YEAR || !isRealDate(year, month, day)) {
    return reject('id_birth_date', 'birth date in resident ID is not a real date');
  }
  const today = now.getFullYear() * 10_000 + (now.getMonth() + 1) * 100 + now.getDate();
  if (year * 10_000 + month * 100 + day > today) {
    return reject('id_birth_future', 'birth date in resident ID is in the future');
  }
  if (residentIdCheckDigit(id.slice(0, 17)) !== id[17])
    return reject('id_check_digit', 'check digit does not match');
  return accept(id);
}

// GB 32100-2015 codes are 18 characters; the full check-digit rule is not applied here so that
// an unusual but genuine code is never refused at intake.
const CREDIT_CODE_SHAPE = /^[0-9A-Z]{18}$/;

export function validateCreditCode(raw: string): FieldResult<string> {
  const code = canonicalIdText(raw);
  if (code === '') return reject('id_empty', 'ID number is empty');
  if (!CREDIT_CODE_SHAPE.test(code)) {
    return reject('credit_code_shape', 'unified social credit code must be 18 letters or digits');
  }
  return accept(code);
}

/** The last n characters of an ID, as read back to a party to confirm identity. */
export function lastDigits(id: string, n: number): string {
  if (n <= 0) return '';
  return id.trim().slice(-n);
}

export interface PartyId {
  idType: string;
  idNumber: string;
}

// What case-system exports put in a cell for "no number": 无, 不详, a dash or a slash. A leading
// ' is how intake keeps a dash formula-inert (formulaCells.ts).
const UNKNOWN_ID_TEXT = /^'?(?:无|暂无|不详|未知|[-/—－–]+)$/;

/** True when an ID number cell says that the number is not known. */
export function isUnknownIdNumber(raw: string): boolean {
  const text = toHalfWidth(raw).replace(WHITESPACE, '');
  return text === '' || UNKNOWN_ID_TEXT.test(text);
}

/**
 * Checks a party's ID against its type. Resident IDs and credit codes are validated; other types
 * (passport, 港澳居民来往内地通行证, …) only need a number. With no type given, an 18-character
 * number is checked as a resident ID for a person or a credit code for an organization, and the
 * type is filled in, so that later identity checks know what the number is.
 * Courts often do not have a party's number (a company's credit code, a defendant's ID): a blank
 * number is accepted for every type and stored as '', and the call script then verifies identity
 * another way.
 */
export function normalizePartyId(rawType: string, rawNumber: string, kind: PartyKind): FieldResult<PartyId> {
  let idType = normalizeIdType(rawType);
  const trimmed = rawNumber.trim();
  if (isUnknownIdNumber(trimmed)) return accept({ idType, idNumber: '' });
  if (idType === '' && canonicalIdText(trimmed).length === 18) {
    idType = kind === 'organization' ? CREDIT_CODE_TYPE : RESIDENT_ID_TYPE;
  }
  const checked =
    idType === RESIDENT_ID_TYPE
      ? validateResidentId(trimmed)
      : idType === CREDIT_CODE_TYPE
        ? validateCreditCode(trimmed)
        : accept(trimmed);
  return checked.ok ? accept({ idType, idNumber: checked.value }) : checked;
}
