import { accept, reject, type FieldResult } from './result';
import { toHalfWidth } from './halfWidth';

export type PhoneKind = 'mobile' | 'landline';

export interface NormalizedPhone {
  kind: PhoneKind;
  /** National digits without extension, e.g. '13812345678' or '04711234567'. */
  digits: string;
  extension?: string;
  /** How the desk shows it, e.g. '138 1234 5678' or '0471-1234567 转801'. */
  display: string;
}

// An extension at the end: 转801, 分机801, 转分机801, 分机号：801, ext 801, ext.801, x801, #801,
// also in brackets ("(转801)"). Full-width forms are folded before this runs.
const KEYWORD_EXTENSION = /\s*\(?\s*(?:转分机|分机号?|转|ext\.?|x|#)\s*:?\s*(\d{1,6})\s*\)?$/i;
// "0471-1234567-801", "04711234567-801": a dash after a run of 7 or more digits. Only taken as an
// extension when what precedes it is a whole landline, so "010-1234-5678" stays one number.
const DASH_EXTENSION = /(?<!\d)\d{7,12}(\s*-\s*(\d{1,6}))$/;
// Digits, an optional leading +, and the separators people type: space, dashes, dots, brackets.
const PHONE_TEXT = /^\+?[\d\s\-.()\u2013\u2014]+$/;
const SEARCH_TEXT = /^\+?[\d\s\-.()\u2013\u2014]*$/;
const NON_DIGITS = /\D/g;
const MOBILE = /^1[3-9]\d{9}$/;
const MOBILE_PREFIX = /^1(?:[3-9]|$)/;
const LANDLINE_WITHOUT_AREA = /^[1-9]\d{6,7}$/;
// "86-138…", "86 (10) …": a bare 86 followed by a separator is a country code, not digits of a number.
const BARE_COUNTRY_CODE = /^86[\s\-.(]/;

// Area codes are 010 and 020–029 (three characters) or 0 plus three digits (0471) elsewhere;
// 00 is the international prefix and 011–019 do not exist. Subscriber numbers have 7 or 8 digits.
const THREE_CHARACTER_AREA = /^0(?:10|2\d)/;
const FOUR_CHARACTER_AREA = /^0[3-9]/;

function landlineAreaLength(national: string): number | null {
  const areaLength = THREE_CHARACTER_AREA.test(national) ? 3 : FOUR_CHARACTER_AREA.test(national) ? 4 : null;
  if (areaLength === null) return null;
  const subscriberLength = national.length - areaLength;
  return subscriberLength === 7 || subscriberLength === 8 ? areaLength : null;
}

/** After +86 a landline drops its trunk 0 ("+86 471 1234567", "+86 10 …"); put it back. */
function afterCountryCode(rest: string): string {
  if (rest === '' || rest.startsWith('0') || MOBILE_PREFIX.test(rest)) return rest;
  return `0${rest}`;
}

/**
 * National digits of a number written with or without +86 / 0086 / 86; null for a foreign
 * country code. When `partial`, a bare leading 86 is kept unless a separator or a whole mobile
 * number follows it, because "8612" may be the start of a subscriber number being searched.
 */
function nationalDigits(text: string, partial: boolean): string | null {
  const digits = text.replace(NON_DIGITS, '');
  if (text.startsWith('+')) return digits.startsWith('86') ? afterCountryCode(digits.slice(2)) : null;
  if (digits.startsWith('0086')) return afterCountryCode(digits.slice(4));
  const bareCountryCode =
    digits.startsWith('86') && (!partial || BARE_COUNTRY_CODE.test(text) || MOBILE.test(digits.slice(2)));
  return bareCountryCode ? afterCountryCode(digits.slice(2)) : digits;
}

function isLandline(text: string): boolean {
  const national = nationalDigits(text, false);
  return national !== null && landlineAreaLength(national) !== null;
}

function splitExtension(text: string): { main: string; extension?: string } {
  const keyword = KEYWORD_EXTENSION.exec(text);
  if (keyword && keyword.index > 0) return { main: text.slice(0, keyword.index), extension: keyword[1]! };
  const dashed = text.includes('-') ? DASH_EXTENSION.exec(text) : null;
  if (dashed) {
    const main = text.slice(0, text.length - dashed[1]!.length);
    if (isLandline(main)) return { main, extension: dashed[2]! };
  }
  return { main: text };
}

/** Normalises a PRC mobile or landline number as written in a case file. */
export function normalizePhone(raw: string): FieldResult<NormalizedPhone> {
  const text = toHalfWidth(raw).trim();
  if (text === '') return reject('phone_empty', 'phone number is empty');
  const { main, extension } = splitExtension(text);
  if (!PHONE_TEXT.test(main))
    return reject('phone_characters', 'phone number contains characters that are not digits');
  const digits = nationalDigits(main, false);
  if (digits === null) return reject('phone_foreign', 'only Chinese (+86) phone numbers are supported');
  if (digits === '') return reject('phone_no_digits', 'phone number has no digits');

  if (MOBILE.test(digits)) {
    if (extension !== undefined)
      return reject('mobile_with_extension', 'a mobile number cannot have an extension');
    const display = `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
    return accept({ kind: 'mobile', digits, display });
  }
  const areaLength = landlineAreaLength(digits);
  if (areaLength !== null) {
    const number = `${digits.slice(0, areaLength)}-${digits.slice(areaLength)}`;
    if (extension === undefined) return accept({ kind: 'landline', digits, display: number });
    return accept({ kind: 'landline', digits, extension, display: `${number} 转${extension}` });
  }
  if (LANDLINE_WITHOUT_AREA.test(digits))
    return reject('landline_no_area_code', 'landline number needs an area code');
  return reject('phone_invalid', 'not a valid mobile or landline number');
}

/** How the desk shows a stored number (national digits) without its extension: '0471-1234567'. */
export function phoneNumberDisplay(digits: string): string {
  const phone = normalizePhone(digits);
  return phone.ok ? phone.value.display : digits;
}

/**
 * Turns a search typed in any phone format, possibly partial ('+86 138-1234', '１３８１２３４'),
 * into digits to match against stored `digits`; null when the text is not phone-like.
 */
export function phoneSearchDigits(raw: string): string | null {
  const { main } = splitExtension(toHalfWidth(raw).trim());
  if (!SEARCH_TEXT.test(main)) return null;
  const digits = nationalDigits(main, true);
  return digits === null || digits === '' ? null : digits;
}
