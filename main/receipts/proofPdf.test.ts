// The 送达回证 PDF, judged by poppler (the tools a court's own systems would use): text extracted
// with pdftotext, fonts listed by pdffonts, the page rendered by pdftoppm, the QR decoded by jsQR.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { ProofFacts } from '../../common/proof/proofFacts';
import { subsetTag } from './fontSubsetTags';
import { breakAnywhere, renderProofPdf } from './proofPdf';
import { loadReceiptFont, type ReceiptFont } from './receiptFont';
import { SAMPLE_PROOF_FACTS as FACTS } from '../../common/proof/sampleProofFacts';

const repoRoot = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'proof-pdf-'));
let font: ReceiptFont;
let pdf: Uint8Array;
let file: string;
let text: string;

const poppler = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });
const save = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const render = async (facts: ProofFacts, name: string) => {
  const bytes = await renderProofPdf(facts, font);
  const path = save(name, bytes);
  return { bytes, path, text: poppler('pdftotext', '-layout', path, '-') };
};
/** pdftoppm's PNG of one page at `dpi`, decoded. */
const pagePng = (path: string, page: number, dpi: number) => {
  const prefix = join(dir, `page-${page}-${dpi}`);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    String(dpi),
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    path,
    prefix,
  ]);
  return PNG.sync.read(readFileSync(`${prefix}.png`));
};

beforeAll(async () => {
  font = loadReceiptFont();
  pdf = await renderProofPdf(FACTS, font);
  file = save('proof.pdf', pdf);
  text = poppler('pdftotext', '-layout', file, '-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the proof’s text, as pdftotext extracts it', () => {
  it('has the title, the court, the case number and cause, in Chinese', () => {
    for (const s of ['送达回证', '(电子送达凭证)', FACTS.court.name, FACTS.case.number, FACTS.case.cause])
      expect(text).toContain(s);
  });

  it('names every document with its copies and its SHA-256', () => {
    for (const d of FACTS.documents) {
      expect(text).toContain(`${d.title}（${d.copies} 份）`);
      expect(text).toContain(d.sha256);
    }
  });

  it('has every field of the list: consent evidence, channels, effect, specialist, audit, id', () => {
    const consent = FACTS.consent.onCall!;
    for (const s of [
      '受送达人',
      '张三丰（被告）',
      '送达方式',
      '电子送达',
      '《中华人民共和国民事诉讼法》第九十条',
      '通话中同意：2026-11-23 10:05:12 (UTC+08:00)',
      consent.recordingSha256,
      FACTS.consent.addressConfirmation!.documentSha256,
      '送达至：13812345678',
      '发送方：106900012368',
      '送达至：zhangsanfeng@example.cn',
      '到达：2026-11-23 10:06:04 (UTC+08:00)',
      '身份验证通过，IP 223.104.3.17',
      '确认收悉',
      '确认送达',
      'arrival_on_consent',
      '送达日期',
      '受送达人可申请领取纸质文书：民事判决书',
      '无人接听（SIP 480）',
      '李送达（工号 8001）',
      FACTS.callingNumber,
      `位置 #${FACTS.audit.seq}`,
      FACTS.audit.headHash,
      FACTS.proofId,
      FACTS.verifyUrl,
    ])
      expect(text, s).toContain(s);
    // The service date is the earliest arrival after consent: the SMS report, on the court's clock.
    expect(text).toMatch(/送达日期\s+2026-11-23 10:06:04 \(UTC\+08:00\)/);
  });

  it('puts the proof id, the audit position and the page numbers in every page’s footer', () => {
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBe(2);
    pages.forEach((page, i) =>
      expect(page).toContain(`凭证编号 ${FACTS.proofId} · 审计链位置 #57 · 第 ${i + 1} 页 / 共 2 页`),
    );
  });

  it('states a presumed effect as presumed, on the read', async () => {
    const presumed: ProofFacts = {
      ...FACTS,
      proofId: 'DD-2026-000124-PRES',
      consent: { onCall: null, addressConfirmation: null },
      channels: [
        {
          ...FACTS.channels[0]!,
          portalEvents: FACTS.channels[0]!.portalEvents.filter((e) => e.kind !== 'confirmed'),
        },
      ],
    };
    const { text: t } = await render(presumed, 'presumed.pdf');
    expect(t).toContain('推定送达');
    expect(t).toContain('presumed_on_read');
    expect(t).toMatch(/送达日期\s+2026-11-23 10:30:41 \(UTC\+08:00\)/);
    expect(t).toContain('通话中同意：无');
  });
});

describe('the embedded font', () => {
  it('is a TrueType subset with a Unicode map, its tag derived from the glyphs it holds', () => {
    const fonts = poppler('pdffonts', file);
    const rows = fonts.split('\n').filter((l) => l.includes('WenQuanYi'));
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatch(/^[A-Z]{6}\+WenQuanYiMicroHei(Mono)?\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).not.toContain('BZZZZZ+');
    expect(subsetTag('x', [0, 1, 2])).toMatch(/^[A-Z]{6}$/);
  });

  it('is a subset: the PDF stays small', () => {
    expect(pdf.byteLength).toBeLessThan(300 * 1024);
  });
});

describe('the rendered page', () => {
  it('is an A4 page with text and grid on it, mostly white', () => {
    const png = pagePng(file, 1, 72);
    // A4 is 595.28 × 841.89 pt: at 72 dpi pdftoppm rounds each side up to a whole pixel.
    expect([png.width, png.height]).toEqual([596, 842]);
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 128) dark++;
    const share = dark / (png.width * png.height);
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.3);
  });

  it('has a QR code at the top right that decodes to the verification URL', () => {
    const png = pagePng(file, 1, 150);
    // The top right quarter: the QR is there and nowhere else.
    const w = Math.floor(png.width / 2);
    const h = Math.floor(png.height / 4);
    const crop = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      crop.set(
        png.data.subarray((y * png.width + png.width - w) * 4, (y * png.width + png.width) * 4),
        y * w * 4,
      );
    expect(jsQR(crop, w, h)?.data).toBe(FACTS.verifyUrl);
  });
});

describe('determinism', () => {
  it('gives the same bytes for the same facts, in this process and in another', async () => {
    const again = await renderProofPdf(structuredClone(FACTS), font);
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);

    const factsFile = join(dir, 'facts.json');
    const childPdf = join(dir, 'child.pdf');
    writeFileSync(factsFile, JSON.stringify(FACTS));
    const child = spawnSync('npx', ['tsx', 'main/receipts/testing/renderChild.ts', factsFile, childPdf], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    expect(readFileSync(childPdf).equals(Buffer.from(pdf))).toBe(true);
  });

  it('takes its dates from the facts and its file id from their content', async () => {
    const info = poppler('pdfinfo', '-isodates', file);
    expect(info).toMatch(/CreationDate:\s+2026-11-23T03:20:00Z/);
    expect(info).toMatch(/ModDate:\s+2026-11-23T03:20:00Z/);
    const other = await renderProofPdf({ ...FACTS, callingNumber: '0476-12369' }, font);
    const id = (b: Uint8Array) => /\/ID \[(<[0-9a-f]+>)/.exec(Buffer.from(b).toString('latin1'))?.[1];
    expect(id(pdf)).toMatch(/^<[0-9a-f]{32}>$/);
    expect(id(other)).not.toBe(id(pdf));
  });

  it('gives other subset tags to other glyph sets', async () => {
    const { path } = await render({ ...FACTS, case: { ...FACTS.case, cause: '买卖合同纠纷' } }, 'other.pdf');
    const tags = (p: string) => poppler('pdffonts', p).match(/[A-Z]{6}\+WenQuanYiMicroHei\b/)?.[0];
    expect(tags(path)).not.toBe(tags(file));
  });
});

describe('structure', () => {
  it('is one clean revision, ready for an incremental signature', () => {
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw.match(/%%EOF/g)).toHaveLength(1);
    expect(raw.match(/\bstartxref\b/g)).toHaveLength(1);
    expect(raw).not.toContain('/Prev');
    expect(raw).not.toContain('/Sig');
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('flows long content onto further pages, every hash still whole', async () => {
    const many: ProofFacts = {
      ...FACTS,
      documents: Array.from({ length: 40 }, (_, i) => ({
        title: `证据材料第${i + 1}册（原告提交的银行流水、借条及微信聊天记录截图，共计若干页）`,
        kind: 'evidence',
        copies: 1,
        sha256: (i.toString(16).padStart(2, '0') + 'ab').repeat(16),
      })),
    };
    const { text: t } = await render(many, 'long.pdf');
    const pages = t.split('\f').filter((p) => p.trim()).length;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(t).toContain(`第 ${pages} 页 / 共 ${pages} 页`);
    for (const d of many.documents) expect(t).toContain(d.sha256);
  });

  it('refuses facts that do not parse, and writes nothing', async () => {
    await expect(
      renderProofPdf({ ...FACTS, documents: [{ ...FACTS.documents[0]!, sha256: 'not-a-hash' }] }, font),
    ).rejects.toThrow(ZodError);
    await expect(renderProofPdf({ ...FACTS, issuedAt: '2026-11-23 11:20' }, font)).rejects.toThrow(ZodError);
  });
});

describe('breakAnywhere', () => {
  it('breaks at any character, keeping every character once', () => {
    const lines = breakAnywhere('abcdefghij', (s) => s.length, 4);
    expect(lines).toEqual(['abcd', 'efgh', 'ij']);
    expect(breakAnywhere('', (s) => s.length, 4)).toEqual([]);
  });
});
