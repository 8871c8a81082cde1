import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_PATHS, MANIFEST_PATH, type BundleManifest } from '../common/proof/bundleFormat';
import type { ProofFacts } from '../common/proof/proofFacts';
import { openDatabase } from '../main/store/database';
import { createAuditLog } from '../main/store/auditLog';
import { createAuditExcerptBuilder } from '../main/store/auditExcerpt';
import { renderProofPdf } from '../main/receipts/proofPdf';
import { loadReceiptFont } from '../main/receipts/receiptFont';
import { createDemoSeal } from '../server/seal/demoSeal';
import { deliveredTask, fileProofOnHub, proofFactsOf } from '../server/test/proofFixture';
import { startSendWorld, type SendWorld } from '../server/test/sendFixture';
import { launchChromium } from './support/chromium';
import { ensureNodeBundles } from './support/hostProcess';
import { pdfTextOf, pdfsigTrusting, verifyCli } from './support/proofTools';

// Issue 9's tamper cases through `npm run verify` (the bundled CLI, dist/node/verify.mjs): a task
// served end to end on a real hub, the desk's real audit chain (SQLite) and proof (main/receipts),
// sealed with a demo seal, its evidence bundle built by the hub; then each way of spoiling the PDF,
// the bundle or the audit excerpt is refused with its reason and exit code 1.

const SCREENSHOT = process.env.DESK_SCREENSHOT_DIR;
const dir = mkdtempSync(join(tmpdir(), 'proof-verify-'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let world: SendWorld;
let rootFile: string;
let otherRootFile: string;
let facts: ProofFacts;
let unsealed: Uint8Array;
let sealed: Uint8Array;
let bundle: Uint8Array;

const verify = verifyCli;
const save = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const offline = (path: string) => verify(path, '--root', rootFile);
const jsonOf = async (path: string) => JSON.parse((await verify(path, '--root', rootFile, '--json')).out);

/** The desk's chain: the task's events among another task's, up to the head the proof prints. */
function deskExcerpt() {
  const db = openDatabase(':memory:');
  const audit = createAuditLog(db);
  const append = (taskId: number, type: string) =>
    db.transaction(() =>
      audit.append({ at: new Date().toISOString(), actor: '张一', type, taskId, data: { type } }),
    )();
  for (const [taskId, type] of [
    [1, 'call.started'],
    [2, 'call.started'],
    [1, 'call.ended'],
    [2, 'call.ended'],
    [1, 'task.delivered'],
    [2, 'note'],
  ] as const)
    append(taskId, type);
  const excerpt = createAuditExcerptBuilder(db).build(1);
  db.close();
  return excerpt;
}

beforeAll(async () => {
  ensureNodeBundles();
  const demo = await createDemoSeal(join(dir, 'seal'));
  const other = await createDemoSeal(join(dir, 'other'), { centerName: '别的中心' });
  rootFile = demo.root;
  otherRootFile = other.root;

  // The hub seals with the demo seal; the desk renders the proof and files it with its excerpt.
  world = await startSendWorld({}, 15_000, { seal: { kind: 'demo', dir: demo.dir } });
  const delivered = await deliveredTask(world);
  const excerpt = deskExcerpt();
  facts = await proofFactsOf(world, delivered, excerpt);
  unsealed = await renderProofPdf(facts, loadReceiptFont());
  await fileProofOnHub(world, delivered, facts, unsealed, excerpt);

  // What the desk gets back and what a court downloads, over the hub's HTTP API.
  const auth = { authorization: `Bearer ${world.specA1.token}` };
  const [proof] = await world.app.db.query<{ sealed_sha256: string }>(
    'SELECT sealed_sha256 FROM proofs WHERE id = $1',
    [facts.proofId],
  );
  const pdf = await fetch(`${world.url}/blobs/${proof!.sealed_sha256}`, { headers: auth });
  sealed = new Uint8Array(await pdf.arrayBuffer());
  const zip = await fetch(`${world.url}/proofs/${facts.proofId}/bundle`, { headers: auth });
  if (zip.status !== 200) throw new Error(`bundle: ${zip.status} ${await zip.text()}`);
  bundle = new Uint8Array(await zip.arrayBuffer());
});
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The bundle's files changed by `edit` and zipped again; `fix` re-hashes the named entries. */
function tamperedBundle(edit: (files: Record<string, Uint8Array>) => void, fix: string[] = []) {
  const files = unzipSync(bundle);
  edit(files);
  const manifest = JSON.parse(Buffer.from(files[MANIFEST_PATH]!).toString()) as BundleManifest;
  for (const path of fix) {
    const entry = manifest.entries.find((e) => e.path === path)!;
    entry.sha256 = sha256(files[path]!);
    entry.size = files[path]!.byteLength;
  }
  files[MANIFEST_PATH] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}
const manifestOf = () =>
  JSON.parse(Buffer.from(unzipSync(bundle)[MANIFEST_PATH]!).toString()) as BundleManifest;

describe('npm run verify: the sealed proof and its evidence bundle', () => {
  it('is the proof of the delivered task, sealed: pdfsig reports it valid, pdftotext finds its facts', async () => {
    const path = save('proof.pdf', sealed);
    const sig = pdfsigTrusting(path, rootFile, dir);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Certificate is Trusted.');
    const text = pdfTextOf(path);
    expect(text).toContain(facts.case.number);
    for (const d of facts.documents) {
      expect(text).toContain(d.title);
      expect(text).toContain(d.sha256);
    }
    // The unsealed proof is the desk's bytes as they were: the seal is an incremental update.
    expect(Buffer.from(sealed.subarray(0, unsealed.byteLength)).equals(Buffer.from(unsealed))).toBe(true);
  });

  it('verifies the proof and the bundle against the hub (exit 0), and refuses a changed PDF there', async () => {
    const pdf = await verify(save('proof.pdf', sealed), '--hub', world.url);
    expect(pdf.status, pdf.out).toBe(0);
    expect(pdf.out).toContain('✓ hub:same_pdf');
    expect(pdf.out).toMatch(/VERIFIED proof .*\(arrival_on_consent\)/);
    const zip = await verify(save('bundle.zip', bundle), '--hub', world.url);
    expect(zip.status, zip.out).toBe(0);
    expect(zip.out).toContain('✓ hub:effect');
    const changed = new Uint8Array(sealed);
    const at = Buffer.from(changed).indexOf('/Producer');
    changed[at + 2] = changed[at + 2]! ^ 0x01;
    const refused = await verify(save('changed.pdf', changed), '--hub', world.url, '--json');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ ok: false, reason: 'altered' });
    const unreachable = await verify(join(dir, 'proof.pdf'), '--hub', 'http://127.0.0.1:9');
    expect(unreachable.status).toBe(1);
    expect(unreachable.out).toContain('NOT VERIFIED (hub_unreachable)');
  });

  it('verifies the sealed proof and the bundle offline with the center’s root (exit 0)', async () => {
    const pdf = await offline(save('proof.pdf', sealed));
    expect(pdf.status, pdf.out).toBe(0);
    expect(pdf.out).toContain(`VERIFIED proof ${facts.proofId}`);
    const zip = await offline(save('bundle.zip', bundle));
    expect(zip.status, zip.out).toBe(0);
    expect(zip.out).toMatch(/VERIFIED bundle .*: served \d{4}-\d\d-\d\dT.* \(arrival_on_consent\)/);
    expect(await jsonOf(join(dir, 'bundle.zip'))).toMatchObject({ ok: true, proofId: facts.proofId });
  });

  it('needs a root offline (exit 2), and trusts no other root — nor the copy in the manifest (exit 1)', async () => {
    const path = save('bundle.zip', bundle);
    expect((await verify(path)).status).toBe(2);
    expect(manifestOf().rootCertificatePem).toContain('BEGIN CERTIFICATE');
    const other = await verify(path, '--root', otherRootFile);
    expect(other.status).toBe(1);
    expect(other.out).toContain('NOT VERIFIED (untrusted)');
  });

  it('refuses one changed byte in the PDF: altered', async () => {
    const bytes = new Uint8Array(sealed);
    // A letter of the producer's name in the signed revision.
    const at = Buffer.from(bytes).indexOf('/Producer');
    bytes[at + 2] = bytes[at + 2]! ^ 0x01;
    const run = await offline(save('byte.pdf', bytes));
    expect(run.status).toBe(1);
    expect(run.out).toContain('NOT VERIFIED (altered)');
  });

  it('refuses a PDF appended to or updated after sealing: appended; and one re-saved: not sealed', async () => {
    const appended = await offline(
      save('appended.pdf', Buffer.concat([sealed, Buffer.from('\n% a note\n')])),
    );
    expect(appended.status).toBe(1);
    expect(appended.out).toContain('NOT VERIFIED (appended)');
    // An incremental update (a new Info dictionary), as an editor saving a change would write it.
    const text = Buffer.from(sealed).toString('latin1');
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
    const size = Number([...text.matchAll(/\/Size (\d+)/g)].at(-1)![1]);
    const root = [...text.matchAll(/\/Root (\d+ \d+ R)/g)].at(-1)![1];
    const offset = sealed.byteLength;
    const object = `${size} 0 obj\n<< /Title (changed) >>\nendobj\n`;
    const update =
      object +
      `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(offset).padStart(10, '0')} 00000 n \n` +
      `trailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${startxref} >>\n` +
      `startxref\n${offset + object.length}\n%%EOF\n`;
    const updated = await offline(
      save('updated.pdf', Buffer.concat([sealed, Buffer.from(update, 'latin1')])),
    );
    expect(updated.status).toBe(1);
    expect(updated.out).toContain('NOT VERIFIED (appended)');
    // Re-saved by another program (Poppler's pdftocairo): the seal does not survive.
    const resaved = join(dir, 'resaved.pdf');
    const cairo = spawnSync('pdftocairo', ['-pdf', join(dir, 'proof.pdf'), resaved]);
    expect(cairo.status).toBe(0);
    const run = await offline(resaved);
    expect(run.status).toBe(1);
    expect(run.out).toContain('NOT VERIFIED (not_sealed)');
  });

  it('refuses a swapped recording in the bundle, with or without the manifest edited to match', async () => {
    const recording = manifestOf().entries.find((e) => e.role === 'recording')!.path;
    const swap = (files: Record<string, Uint8Array>) => {
      files[recording] = new Uint8Array(files[recording]!.byteLength).fill(1);
    };
    const plain = await offline(save('swapped.zip', tamperedBundle(swap)));
    expect(plain.status).toBe(1);
    expect(plain.out).toContain('NOT VERIFIED (hash_mismatch)');
    const covered = await offline(save('swapped-covered.zip', tamperedBundle(swap, [recording])));
    expect(covered.status).toBe(1);
    expect(covered.out).toContain('NOT VERIFIED (evidence_mismatch)');
    expect(covered.out).toContain('consent recording');
  });

  it('refuses a changed manifest hash', async () => {
    const run = await offline(
      save(
        'manifest.zip',
        tamperedBundle((files) => {
          const manifest = JSON.parse(Buffer.from(files[MANIFEST_PATH]!).toString()) as BundleManifest;
          manifest.entries.find((e) => e.role === 'messages')!.sha256 = '0'.repeat(64);
          files[MANIFEST_PATH] = strToU8(JSON.stringify(manifest));
        }),
      ),
    );
    expect(run.status).toBe(1);
    expect(run.out).toContain('NOT VERIFIED (hash_mismatch)');
    expect(run.out).toContain(BUNDLE_PATHS.messages);
  });

  it('refuses an audit excerpt with an altered, inserted or removed event', async () => {
    type Entry = { seq: number; prevHash: string; hash: string; event?: { type: string; data: object } };
    const withExcerpt = (name: string, change: (entries: Entry[]) => Entry[]) =>
      offline(
        save(
          name,
          tamperedBundle(
            (files) => {
              const excerpt = JSON.parse(Buffer.from(files[BUNDLE_PATHS.auditExcerpt]!).toString());
              excerpt.entries = change(excerpt.entries);
              files[BUNDLE_PATHS.auditExcerpt] = strToU8(JSON.stringify(excerpt));
            },
            [BUNDLE_PATHS.auditExcerpt],
          ),
        ),
      );
    const altered = await withExcerpt('altered.zip', (entries) =>
      entries.map((e) =>
        e.event?.type === 'call.ended' ? { ...e, event: { ...e.event, data: { x: 1 } } } : e,
      ),
    );
    expect(altered.status).toBe(1);
    expect(altered.out).toContain('NOT VERIFIED (audit_altered)');
    const inserted = await withExcerpt('inserted.zip', (entries) => [
      ...entries.slice(0, 2),
      entries[1]!,
      ...entries.slice(2),
    ]);
    expect(inserted.status).toBe(1);
    expect(inserted.out).toContain('NOT VERIFIED (audit_inserted)');
    const removed = await withExcerpt('removed.zip', (entries) => entries.filter((_, i) => i !== 1));
    expect(removed.status).toBe(1);
    expect(removed.out).toContain('NOT VERIFIED (audit_removed)');
  });

  it('the public verify page: the QR code’s address shows the verdict; a dropped PDF that was changed is refused', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
      const errors: string[] = [];
      page.on('console', (m) => {
        // The browser's own favicon request is the hub's 404, not the page's.
        if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
      });
      await page.goto(facts.verifyUrl);
      await page.locator('#verdict').waitFor();
      expect(await page.locator('#verdict .verdict').innerText()).toContain('核验通过');
      const text = await page.locator('#result').innerText();
      expect(text).toContain(facts.court.name);
      expect(text).toContain('北京时间');
      expect(text).not.toContain(facts.case.number);
      if (SCREENSHOT) await page.screenshot({ path: join(SCREENSHOT, 'verify-valid.png'), fullPage: true });

      const changed = new Uint8Array(sealed);
      const at = Buffer.from(changed).indexOf('/Producer');
      changed[at + 2] = changed[at + 2]! ^ 0x01;
      await page
        .locator('#file')
        .setInputFiles({ name: 'proof.pdf', mimeType: 'application/pdf', buffer: Buffer.from(changed) });
      await page.locator('#verdict.invalid').waitFor();
      expect(await page.locator('#verdict').innerText()).toContain('盖章后内容被改动');
      if (SCREENSHOT) await page.screenshot({ path: join(SCREENSHOT, 'verify-altered.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
