import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_PATHS, MANIFEST_PATH, type BundleManifest } from '../../common/proof/bundleFormat';
import { verifyBundle } from '../../common/proof/verifyBundle';
import type { ProofFacts } from '../../common/proof/proofFacts';
import { backend } from '../test/hubFixture';
import {
  deliveredTask,
  deskAuditExcerpt,
  proofFactsOf,
  standInProofPdf,
  uploadBlob,
  type DeliveredTask,
} from '../test/proofFixture';
import { startSendWorld, type SendWorld } from '../test/sendFixture';
import { createDemoSeal } from '../seal/demoSeal';
import { sealPdf } from '../seal/pdfSigner';
import { identityFromPem } from '../seal/sealIdentity';
import { planBundle, streamBundle, type FiledProof } from './bundle';

// The evidence bundle built from a real hub's records of a delivered task, checked by the shared
// verifier. The proof is a stand-in PDF (the hub renders none) sealed with a demo seal, as filed.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'bundle-seal-'));
const roots = { trustedRootsPem: [] as string[] };

describe(`hub: the evidence bundle (${backend})`, () => {
  let world: SendWorld;
  let delivered: DeliveredTask;
  let facts: ProofFacts;
  let filed: FiledProof;

  beforeAll(async () => {
    world = await startSendWorld();
    delivered = await deliveredTask(world);
    const excerpt = deskAuditExcerpt();
    facts = await proofFactsOf(world, delivered, excerpt);
    const excerptSha = await uploadBlob(world, world.specA1, Buffer.from(JSON.stringify(excerpt)));
    const demo = await createDemoSeal(join(dir, 'demo'));
    roots.trustedRootsPem = [readFileSync(demo.root, 'utf8')];
    const seal = await identityFromPem(
      readFileSync(demo.certificates, 'utf8'),
      readFileSync(demo.key, 'utf8'),
    );
    // The hub's clock at sealing, to the second (the demo certificate is valid from a day ago).
    const sealedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    filed = {
      proofId: facts.proofId,
      taskId: delivered.taskId,
      pdf: await sealPdf(await standInProofPdf(facts), seal, { signingTime: sealedAt }),
      facts,
      sealedAt: sealedAt.toISOString(),
      sealSigner: seal.signerName,
      auditExcerptSha256: excerptSha,
    };
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function bundle(includeDocuments = false): Promise<Uint8Array> {
    const plan = await planBundle(world.app.db, filed, {
      hubUrl: world.url,
      includeDocuments,
      rootCertificatePem: null,
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamBundle(world.app.db, plan)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  it('holds the proof, its facts, the recording, messages, portal log, signatures and excerpt, bound by the manifest', async () => {
    const zip = await bundle();
    const files = unzipSync(zip);
    const manifest = JSON.parse(Buffer.from(files[MANIFEST_PATH]!).toString()) as BundleManifest;
    expect(Object.keys(files)[0]).toBe(MANIFEST_PATH);
    expect(manifest).toMatchObject({
      taskId: delivered.taskId,
      proofId: facts.proofId,
      proofSha256: sha256(filed.pdf),
      hub: { url: world.url },
      auditHead: { hash: facts.audit.headHash },
      documentsIncluded: false,
    });
    for (const entry of manifest.entries) {
      expect(files[entry.path], entry.path).toBeDefined();
      expect(sha256(files[entry.path]!)).toBe(entry.sha256);
      expect(files[entry.path]!.byteLength).toBe(entry.size);
    }
    const roles = manifest.entries.map((e) => e.role);
    expect(roles).toEqual(
      expect.arrayContaining([
        'proof',
        'proof_facts',
        'audit_excerpt',
        'recording',
        'messages',
        'portal_events',
      ]),
    );
    // Both signatures are the same image here: one entry, named by its hash, cited by both events.
    expect(roles.filter((r) => r === 'signature')).toHaveLength(1);
    expect(roles.filter((r) => r === 'address_confirmation')).toHaveLength(1);
    const recording = manifest.entries.find((e) => e.role === 'recording')!;
    expect(Buffer.from(files[recording.path]!).equals(delivered.recording.bytes)).toBe(true);
    expect(recording.sha256).toBe(facts.consent.onCall!.recordingSha256);

    // The sent message as it went out, and the portal's log with where each event came from.
    const messages = JSON.parse(Buffer.from(files[BUNDLE_PATHS.messages]!).toString());
    expect(messages[0]).toMatchObject({ id: delivered.messageId, address: delivered.phone, channel: 'sms' });
    expect(messages[0].content).toContain('{token}');
    const events = JSON.parse(Buffer.from(files[BUNDLE_PATHS.portalEvents]!).toString());
    expect(events.find((e: { kind: string }) => e.kind === 'confirmed')).toMatchObject({
      ip: '203.0.113.9',
      userAgent: expect.stringContaining('ProofFixture'),
    });
    const hashes = JSON.parse(Buffer.from(files[BUNDLE_PATHS.documentHashes]!).toString());
    expect(hashes.map((d: { sha256: string }) => d.sha256)).toEqual(delivered.documents.map((d) => d.sha256));
    expect(hashes.every((d: { path: string | null }) => d.path === null)).toBe(true);

    const verdict = await verifyBundle(zip, roots);
    expect(verdict).toMatchObject({
      ok: true,
      proofId: facts.proofId,
      effect: { effective: true },
      seal: { ok: true, signer: filed.sealSigner },
    });
    // The copy of a root in the manifest is never trusted: only the roots the verifier is given.
    expect(await verifyBundle(zip, { trustedRootsPem: [] })).toMatchObject({
      ok: false,
      reason: 'untrusted',
    });
  });

  it('is the same bytes when built twice, and carries the documents when configured', async () => {
    expect(Buffer.from(await bundle()).equals(Buffer.from(await bundle()))).toBe(true);
    const files = unzipSync(await bundle(true));
    const manifest = JSON.parse(Buffer.from(files[MANIFEST_PATH]!).toString()) as BundleManifest;
    expect(manifest.documentsIncluded).toBe(true);
    for (const d of delivered.documents) {
      const entry = manifest.entries.find((e) => e.role === 'document' && e.sha256 === d.sha256)!;
      expect(Buffer.from(files[entry.path]!).equals(d.bytes)).toBe(true);
    }
    expect(await verifyBundle(await bundle(true), roots)).toMatchObject({ ok: true });
  });

  /** The bundle's files changed by `edit`, zipped again. */
  async function tampered(edit: (files: Record<string, Uint8Array>, manifest: BundleManifest) => void) {
    const files = unzipSync(await bundle());
    const manifest = JSON.parse(Buffer.from(files[MANIFEST_PATH]!).toString()) as BundleManifest;
    edit(files, manifest);
    files[MANIFEST_PATH] = strToU8(JSON.stringify(manifest));
    return zipSync(files);
  }
  const fixEntry = (files: Record<string, Uint8Array>, manifest: BundleManifest, path: string) => {
    const entry = manifest.entries.find((e) => e.path === path)!;
    entry.sha256 = sha256(files[path]!);
    entry.size = files[path]!.byteLength;
  };

  it('refuses a swapped recording, whether or not the manifest was changed to match', async () => {
    const swapped = await tampered((files, manifest) => {
      const entry = manifest.entries.find((e) => e.role === 'recording')!;
      files[entry.path] = new Uint8Array(files[entry.path]!.byteLength).fill(7);
    });
    expect(await verifyBundle(swapped, roots)).toMatchObject({ ok: false, reason: 'hash_mismatch' });
    const covered = await tampered((files, manifest) => {
      const entry = manifest.entries.find((e) => e.role === 'recording')!;
      files[entry.path] = new Uint8Array(files[entry.path]!.byteLength).fill(7);
      fixEntry(files, manifest, entry.path);
    });
    expect(await verifyBundle(covered, roots)).toMatchObject({ ok: false, reason: 'evidence_mismatch' });
  });

  it('refuses a changed manifest hash, a missing or an unlisted entry', async () => {
    const changed = await tampered((_files, manifest) => {
      manifest.entries[2]!.sha256 = 'a'.repeat(64);
    });
    expect(await verifyBundle(changed, roots)).toMatchObject({ ok: false, reason: 'hash_mismatch' });
    const missing = await tampered((files) => {
      delete files[BUNDLE_PATHS.messages];
    });
    expect(await verifyBundle(missing, roots)).toMatchObject({ ok: false, reason: 'entry_missing' });
    const extra = await tampered((files) => {
      files['recordings/extra.webm'] = new Uint8Array([1, 2, 3]);
    });
    expect(await verifyBundle(extra, roots)).toMatchObject({ ok: false, reason: 'entry_unlisted' });
    expect(await verifyBundle(new Uint8Array([1, 2, 3]), roots)).toMatchObject({
      ok: false,
      reason: 'not_a_bundle',
    });
  });

  it('refuses facts that are not the ones the proof was rendered from, and a doctored message', async () => {
    const facts2 = await tampered((files, manifest) => {
      const edited = { ...facts, callingNumber: '0473-0000000' };
      files[BUNDLE_PATHS.proofFacts] = strToU8(JSON.stringify(edited));
      fixEntry(files, manifest, BUNDLE_PATHS.proofFacts);
    });
    expect(await verifyBundle(facts2, roots)).toMatchObject({ ok: false, reason: 'facts_mismatch' });
    const message = await tampered((files, manifest) => {
      const records = JSON.parse(Buffer.from(files[BUNDLE_PATHS.messages]!).toString());
      records[0].address = '13900000000';
      files[BUNDLE_PATHS.messages] = strToU8(JSON.stringify(records));
      fixEntry(files, manifest, BUNDLE_PATHS.messages);
    });
    expect(await verifyBundle(message, roots)).toMatchObject({ ok: false, reason: 'evidence_mismatch' });
  });

  it('refuses an audit excerpt with an altered, inserted or removed event', async () => {
    const withExcerpt = (change: (entries: { seq: number; event?: { data: object } }[]) => unknown[]) =>
      tampered((files, manifest) => {
        const excerpt = JSON.parse(Buffer.from(files[BUNDLE_PATHS.auditExcerpt]!).toString());
        excerpt.entries = change(excerpt.entries);
        files[BUNDLE_PATHS.auditExcerpt] = strToU8(JSON.stringify(excerpt));
        fixEntry(files, manifest, BUNDLE_PATHS.auditExcerpt);
      });
    const altered = await withExcerpt((entries) =>
      entries.map((e) => (e.seq === 3 ? { ...e, event: { ...e.event, data: { n: 99 } } } : e)),
    );
    expect(await verifyBundle(altered, roots)).toMatchObject({ ok: false, reason: 'audit_altered' });
    const inserted = await withExcerpt((entries) => [
      ...entries.slice(0, 4),
      entries[3],
      ...entries.slice(4),
    ]);
    expect(await verifyBundle(inserted, roots)).toMatchObject({ ok: false, reason: 'audit_inserted' });
    const removed = await withExcerpt((entries) => entries.filter((e) => e.seq !== 5));
    expect(await verifyBundle(removed, roots)).toMatchObject({ ok: false, reason: 'audit_removed' });
  });

  it('is refused while evidence has not reached the hub', async () => {
    await expect(
      planBundle(
        world.app.db,
        { ...filed, auditExcerptSha256: null },
        {
          hubUrl: null,
          includeDocuments: false,
          rootCertificatePem: null,
        },
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});
