import { accept, reject, type FieldResult } from './result';
import { toHalfWidth } from './halfWidth';

// Court exports write the year in ASCII, full-width （） or the official 〔〕 / [] brackets.
const YEAR_BRACKETS = /[〔［[]/g;
const YEAR_BRACKETS_CLOSE = /[〕］\]]/g;
const WHITESPACE = /\s+/g;
// (year) court code (province character + optional digits, or 最高法) case type (民初, 执恢…)
// sequence 号, with an optional 之一-style suffix: (2024)内0303民初1234号, (2023)京民终12号.
const CASE_NUMBER =
  /^\((?:19|20)\d{2}\)[\u4e00-\u9fff]{1,3}\d{0,6}[\u4e00-\u9fff]{1,6}\d{1,7}号(?:之[一二三四五六七八九十\d]+)?$/;

/** Validates a case number (案号) and returns it with ASCII parentheses and no spaces. */
export function normalizeCaseNumber(raw: string): FieldResult<string> {
  const text = toHalfWidth(raw)
    .replace(WHITESPACE, '')
    .replace(YEAR_BRACKETS, '(')
    .replace(YEAR_BRACKETS_CLOSE, ')');
  if (text === '') return reject('required', 'case number is required');
  if (!CASE_NUMBER.test(text))
    return reject('case_number_shape', 'case number must look like (2024)内0303民初1234号');
  return accept(text);
}
