// Chinese input methods often type digits, letters and punctuation as full-width forms
// (０-９, Ｘ, ＋, （）, ＠). Structured fields compare by ASCII, so they are folded first.

const FULL_WIDTH_FORMS = /[\uFF01-\uFF5E\u3000]/g;
/** Distance between a full-width form (U+FF01–U+FF5E) and its ASCII twin (U+0021–U+007E). */
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

function hasFullWidthForm(text: string): boolean {
  // A plain loop: this runs on several fields of every intake row, mostly already half-width.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0xff01 && code <= 0xff5e) || code === IDEOGRAPHIC_SPACE) return true;
  }
  return false;
}

/** Folds full-width ASCII forms and the ideographic space to their half-width equivalents. */
export function toHalfWidth(text: string): string {
  if (!hasFullWidthForm(text)) return text;
  return text.replace(FULL_WIDTH_FORMS, (ch) => {
    const code = ch.charCodeAt(0);
    return code === IDEOGRAPHIC_SPACE ? ' ' : String.fromCharCode(code - FULL_WIDTH_OFFSET);
  });
}
