// OWASP "CSV Injection": a cell beginning with = + - @ (or tab / carriage return) is run as a
// formula by spreadsheet software. Intake text may be exported again (lists, receipts, stats),
// so such text is stored inert: a leading single quote makes every spreadsheet show it as text.
// A leading tab or carriage return is removed by trimming; the character it hid is then checked.
const FORMULA_START = /^[=+\-@]/;

/** Trimmed text, prefixed with ' when a spreadsheet would read it as a formula. */
export function neutralizeFormula(cell: string): string {
  const text = cell.trim();
  return FORMULA_START.test(text) ? `'${text}` : text;
}
