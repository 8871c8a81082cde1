// The font the proof is set in: WenQuanYi Micro Hei (文泉驿微米黑), one TrueType collection with a
// proportional face and a monospace face, both covering Chinese and Latin, under Apache-2.0 (or
// GPL-3+ with the font exception); see assets/fonts/LICENSE-wqy-microhei.txt for where it came from.
// TrueType outlines (glyf), not CFF: fontkit's TrueType subsetter keeps CJK glyphs intact.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as fontkit from 'fontkit';

export interface ReceiptFont {
  /** The faces, parsed once and shared by every proof (parsing per proof costs more than the proof). */
  sans: fontkit.Font;
  mono: fontkit.Font;
}

/** Where the font lives in a checkout; a packaged app passes its resources' assets/fonts path. */
export const RECEIPT_FONT_FILE = resolve(import.meta.dirname, '../../assets/fonts/wqy-microhei.ttc');

function face(bytes: Buffer, postscriptName: string): fontkit.Font {
  const font = fontkit.create(bytes, postscriptName);
  if (!('layout' in font) || font.postscriptName !== postscriptName)
    throw new Error(`the receipt font has no face ${postscriptName}`);
  return font;
}

export function loadReceiptFont(file: string = RECEIPT_FONT_FILE): ReceiptFont {
  const bytes = readFileSync(file);
  return { sans: face(bytes, 'WenQuanYiMicroHei'), mono: face(bytes, 'WenQuanYiMicroHeiMono') };
}
