// Subset tags that follow the subset's content. A PDF names an embedded subset "ABCDEF+Font"; the
// six letters must differ between different subsets. PDFKit derives them from the font's resource
// name (F1 → BZZZZZ), so every proof would carry the same tag for different glyph sets. Here the tag
// is the SHA-256 of the font's name and the glyphs the subset holds, so equal subsets get equal tags
// (determinism) and different ones differ. PDFKit reads the resource id only for the tag when it
// embeds the font at doc.end() (content streams and resources were written with the old id), so the
// id is set, just before the end, to the string PDFKit turns into our tag.
import { createHash } from 'node:crypto';

interface PdfkitEmbeddedFont {
  id: string;
  font?: { postscriptName?: string };
  subset?: { glyphs: number[] };
}

const TAG_SHIFT = 17; // PDFKit: tag[i] = String.fromCharCode(id.charCodeAt(i + 1) + 17)

export function subsetTag(fontName: string, glyphs: readonly number[]): string {
  const digest = createHash('sha256')
    .update(`${fontName}\n${glyphs.join(',')}`)
    .digest();
  return Array.from(digest.subarray(0, 6), (byte) => String.fromCharCode(65 + (byte % 26))).join('');
}

/** Gives every embedded font of `doc` a content-derived subset tag. Call right before doc.end(). */
export function deriveSubsetTags(doc: PDFKit.PDFDocument): Map<string, string> {
  const families = (doc as unknown as { _fontFamilies: Record<string, PdfkitEmbeddedFont> })._fontFamilies;
  const tags = new Map<string, string>();
  for (const font of new Set(Object.values(families))) {
    const name = font.font?.postscriptName;
    if (!font.subset || !name) continue;
    const tag = subsetTag(name, font.subset.glyphs);
    font.id = `F${Array.from(tag, (ch) => String.fromCharCode(ch.charCodeAt(0) - TAG_SHIFT)).join('')}`;
    tags.set(name, tag);
  }
  return tags;
}
