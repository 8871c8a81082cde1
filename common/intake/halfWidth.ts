// Chinese input methods often type digits, letters and punctuation as full-width forms
// (０-９, Ｘ, ＋, （）, ＠). Structured fields compare by ASCII, so they are folded first.

const FULL_WIDTH_FORMS = /[\uFF01-\uFF5E\u3000]/g;
/** Distance between a full-width form (U+FF01–U+FF5E) and its ASCII twin (U+0021–U+007E). */
const FULL_WIDTH_OFFSET = 0xfee0;

/** Folds full-width ASCII forms and the ideographic space to their half-width equivalents. */
export function toHalfWidth(text: string): string {
  return text.replace(FULL_WIDTH_FORMS, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET),
  );
}
