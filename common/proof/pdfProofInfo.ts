// What a proof PDF says about itself in its document information (main/receipts/proofPdf.ts
// writes it): the SHA-256 of the facts it was rendered from and the proof's id. Read from the
// bytes as they are — the seal covers them, so a verifier that has checked the seal can trust
// what is read here — without a PDF library, so it runs anywhere common/ does.
import { latin1 } from './pdfBytes';

/** The value of an info key: a literal `(…)` string, given directly or as an indirect object. */
function infoValues(text: string, key: string): string[] {
  const values: string[] = [];
  const direct = new RegExp(`/${key}\\s*\\(([^()\\\\]*)\\)`, 'g');
  for (const m of text.matchAll(direct)) values.push(m[1]!);
  const indirect = new RegExp(`/${key}\\s+(\\d+)\\s+(\\d+)\\s+R`, 'g');
  for (const m of text.matchAll(indirect)) {
    const object = new RegExp(
      `(?:^|[\\r\\n\\s])${m[1]}\\s+${m[2]}\\s+obj\\s*\\(([^()\\\\]*)\\)\\s*endobj`,
      'g',
    );
    for (const o of text.matchAll(object)) values.push(o[1]!);
  }
  return values;
}

export interface ProofPdfInfo {
  /** SHA-256 of the canonical JSON of the facts the proof was rendered from. */
  factsSha256: string | null;
  /** The proof's id (its Keywords). */
  proofId: string | null;
}

/** One value, or null when absent or when revisions disagree (which a sealed proof never has). */
const single = (values: string[]): string | null => (new Set(values).size === 1 ? values[0]! : null);

export function readProofPdfInfo(pdf: Uint8Array): ProofPdfInfo {
  const text = latin1(pdf);
  const facts = single(infoValues(text, 'ProofFactsSHA256'));
  return {
    factsSha256: facts && /^[0-9a-f]{64}$/.test(facts) ? facts : null,
    proofId: single(infoValues(text, 'Keywords')),
  };
}
