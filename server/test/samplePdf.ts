import PDFDocument from 'pdfkit';

// Outside sendFixture (which needs vitest) so the send bench makes its documents the same way.

/** A small real PDF (PDFKit) with the given line of text. */
export function samplePdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(24).text(text, 72, 72);
    doc.end();
  });
}
