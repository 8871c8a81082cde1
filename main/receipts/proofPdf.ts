// The 送达回证 as a PDF (issue 9, "The proof"): rendered from a ProofFacts object alone, with the
// legal effect computed from those facts, the Chinese font embedded as a subset, and a QR code
// that carries the verification URL.
//
// Deterministic: the same facts give the same bytes. The dates in the metadata are the facts'
// `issuedAt`, the file id (/ID) is derived from the metadata, which includes the SHA-256 of the
// facts, and the font subsets' tags are derived from the glyphs they hold (fontSubsetTags.ts).
// The file is one clean revision with a classic xref table, so the hub can add its PAdES signature
// later as an incremental update without touching these bytes.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { canonicalJson, sha256Hex } from '../../common/audit/chain';
import { computeLegalEffect } from '../../common/domain/legalEffect';
import { effectFactsOf, ProofFactsSchema, type ProofFacts } from '../../common/proof/proofFacts';
import { deriveSubsetTags } from './fontSubsetTags';
import { PROOF_SUBTITLE, PROOF_TITLE, proofSections, type ProofRow, type Run } from './proofRows';
import type { ReceiptFont } from './receiptFont';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 48, bottom: 56, left: 48, right: 48 };
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const LABEL_WIDTH = 104;
const PAD = 4;
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH - 2 * PAD;
const SIZE = { title: 22, subtitle: 12, court: 11, section: 10.5, label: 9, text: 9, mono: 8, footer: 8 };
const LINE_GAP = 1.5;
const QR_SIZE = 84;
const GRID = '#555555';
const SHADE = '#ececec';

const SANS = 'receipt-sans';
const MONO = 'receipt-mono';

type Doc = PDFKit.PDFDocument;

/** Renders the proof of service for `facts` as PDF bytes. Throws (ZodError) on facts that do not parse. */
export async function renderProofPdf(input: ProofFacts, font: ReceiptFont): Promise<Uint8Array> {
  const facts = ProofFactsSchema.parse(input);
  const effect = computeLegalEffect(effectFactsOf(facts));
  const issued = new Date(facts.issuedAt);

  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margins: MARGIN,
    // No default Helvetica: every glyph comes from the embedded font (and no AFM file is read).
    font: null as unknown as string,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `${PROOF_TITLE} ${facts.case.number}`,
      Author: facts.court.name,
      Subject: `${PROOF_TITLE}${PROOF_SUBTITLE} ${facts.proofId}`,
      Keywords: facts.proofId,
      Creator: 'Delivery Desk',
      Producer: 'Delivery Desk receipts (PDFKit)',
      CreationDate: issued,
      ModDate: issued,
      // Part of the metadata the file id is hashed from: the id follows the facts.
      ProofFactsSHA256: sha256Hex(canonicalJson(facts)),
    } as PDFKit.DocumentInfo,
  });
  const done = collect(doc);
  // PDFKit takes a parsed fontkit face as it is (typed as a path or bytes only).
  doc.registerFont(SANS, font.sans as unknown as Buffer);
  doc.registerFont(MONO, font.mono as unknown as Buffer);

  drawHeader(doc, facts);
  drawQr(doc, facts.verifyUrl, facts.proofId);
  for (const section of proofSections(facts, effect)) {
    drawSectionTitle(doc, section.title);
    for (const row of section.rows) drawRow(doc, row);
  }
  drawFooters(doc, facts);

  deriveSubsetTags(doc);
  doc.end();
  return done;
}

function collect(doc: Doc): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

function drawHeader(doc: Doc, facts: ProofFacts) {
  const titleWidth = CONTENT_WIDTH - 2 * (QR_SIZE + 8);
  const x = MARGIN.left + QR_SIZE + 8;
  doc.font(SANS).fontSize(SIZE.court).fillColor('black');
  doc.text(facts.court.name, x, MARGIN.top, { width: titleWidth, align: 'center' });
  doc.fontSize(SIZE.title).text(PROOF_TITLE, x, MARGIN.top + 20, {
    width: titleWidth,
    align: 'center',
    characterSpacing: 6,
  });
  doc
    .fontSize(SIZE.subtitle)
    .text(PROOF_SUBTITLE, x, MARGIN.top + 50, { width: titleWidth, align: 'center' });
  doc.y = MARGIN.top + QR_SIZE + 22;
}

/** The QR code at the top right, drawn as vector modules (crisp at any zoom, no image to embed). */
function drawQr(doc: Doc, url: string, proofId: string) {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  const module = QR_SIZE / size;
  const left = A4.width - MARGIN.right - QR_SIZE;
  const top = MARGIN.top - 6;
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      if (data[r * size + c]) doc.rect(left + c * module, top + r * module, module, module);
  doc.fillColor('black').fill();
  doc
    .font(SANS)
    .fontSize(7)
    .text('扫码核验', left, top + QR_SIZE + 3, { width: QR_SIZE, align: 'center' });
  doc
    .font(MONO)
    .fontSize(6)
    .text(proofId, left - 20, top + QR_SIZE + 13, {
      width: QR_SIZE + 40,
      align: 'center',
      lineBreak: false,
    });
}

const pageBottom = () => A4.height - MARGIN.bottom;

function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height <= pageBottom()) return;
  doc.addPage();
  doc.y = MARGIN.top;
  // The table's top edge on the new page.
  doc
    .moveTo(MARGIN.left, doc.y)
    .lineTo(MARGIN.left + CONTENT_WIDTH, doc.y)
    .strokeColor(GRID)
    .lineWidth(0.5)
    .stroke();
}

function drawSectionTitle(doc: Doc, title: string) {
  doc.font(SANS).fontSize(SIZE.section);
  const height = doc.currentLineHeight(true) + 2 * PAD;
  // A section title is never left alone at the bottom of a page.
  ensureRoom(doc, height + 3 * (SIZE.text + 2 * PAD));
  const y = doc.y;
  doc.rect(MARGIN.left, y, CONTENT_WIDTH, height).fillAndStroke(SHADE, GRID);
  doc
    .fillColor('black')
    .text(title, MARGIN.left + PAD, y + PAD, { width: CONTENT_WIDTH - 2 * PAD, lineBreak: false });
  doc.y = y + height;
}

/** Hashes, ids and URLs: broken at any character, as a monospace listing would be. */
export function breakAnywhere(text: string, measure: (s: string) => number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && measure(line + ch) > width) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

interface LaidRun {
  run: Run;
  lines: string[] | null;
  height: number;
}

function layRuns(doc: Doc, runs: Run[]): LaidRun[] {
  return runs.map((run) => {
    if (run.mono) {
      doc.font(MONO).fontSize(SIZE.mono);
      const lines = breakAnywhere(run.text, (s) => doc.widthOfString(s), VALUE_WIDTH);
      return { run, lines, height: lines.length * doc.currentLineHeight(true) };
    }
    doc.font(SANS).fontSize(SIZE.text);
    return {
      run,
      lines: null,
      height: doc.heightOfString(run.text, { width: VALUE_WIDTH, lineGap: LINE_GAP }),
    };
  });
}

function drawRow(doc: Doc, row: ProofRow) {
  const laid = layRuns(doc, row.value);
  doc.font(SANS).fontSize(SIZE.label);
  const labelHeight = doc.heightOfString(row.label, { width: LABEL_WIDTH - 2 * PAD });
  const height =
    Math.max(
      labelHeight,
      laid.reduce((sum, l) => sum + l.height, 0),
    ) +
    2 * PAD;
  ensureRoom(doc, height);
  const y = doc.y;
  doc.lineWidth(0.5).strokeColor(GRID);
  doc.rect(MARGIN.left, y, LABEL_WIDTH, height).fillAndStroke('#f7f7f7', GRID);
  doc.rect(MARGIN.left + LABEL_WIDTH, y, CONTENT_WIDTH - LABEL_WIDTH, height).stroke();
  doc.fillColor('black').font(SANS).fontSize(SIZE.label);
  doc.text(row.label, MARGIN.left + PAD, y + PAD, { width: LABEL_WIDTH - 2 * PAD });
  let cursor = y + PAD;
  const x = MARGIN.left + LABEL_WIDTH + PAD;
  for (const { run, lines, height: runHeight } of laid) {
    if (lines) {
      doc.font(MONO).fontSize(SIZE.mono);
      const lineHeight = doc.currentLineHeight(true);
      lines.forEach((line, i) => doc.text(line, x, cursor + i * lineHeight, { lineBreak: false }));
    } else {
      doc.font(SANS).fontSize(SIZE.text).text(run.text, x, cursor, { width: VALUE_WIDTH, lineGap: LINE_GAP });
    }
    cursor += runHeight;
  }
  doc.y = y + height;
}

/** Proof id, audit position and page numbers on every page, written once all pages exist. */
function drawFooters(doc: Doc, facts: ProofFacts) {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.font(SANS).fontSize(SIZE.footer).fillColor('#333333');
    doc.text(
      `凭证编号 ${facts.proofId} · 审计链位置 #${facts.audit.seq} · 第 ${i + 1} 页 / 共 ${count} 页`,
      MARGIN.left,
      A4.height - MARGIN.bottom + 20,
      { width: CONTENT_WIDTH, align: 'center', lineBreak: false },
    );
    doc.page.margins.bottom = MARGIN.bottom;
  }
}
