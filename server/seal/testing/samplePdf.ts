import { resolve } from 'node:path';
import PDFDocument from 'pdfkit';

// A one-page PDF as PDFKit writes the proofs (classic xref, Chinese text from the app's font), for
// hub tests, which may not import the desk's renderer (main/receipts).
const FONT = resolve(import.meta.dirname, '../../../assets/fonts/wqy-microhei.ttc');

export function samplePdf(text = '送达回证 (2024)内0402民初1234号', at = new Date('2026-11-23T03:20:00Z')) {
  const doc = new PDFDocument({ size: 'A4', font: null as unknown as string, info: { CreationDate: at } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((ok) =>
    doc.on('end', () => ok(new Uint8Array(Buffer.concat(chunks)))),
  );
  doc.font(FONT, 'WenQuanYiMicroHei').fontSize(20).text(text, 72, 72);
  doc.end();
  return done;
}
