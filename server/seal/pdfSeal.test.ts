// The hub's seal and the common verifier, judged on real bytes: a PDF sealed with a demo seal made
// by createDemoSeal, checked by verifySealedPdf and by Poppler's pdfsig (trusting the demo root in
// an NSS database made with certutil), and every way a sealed PDF can be spoiled.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySealedPdf } from '../../common/proof/pdfSeal';
import { createDemoSeal, type DemoSealPaths } from './demoSeal';
import { sealPdf } from './pdfSigner';
import { identityFromPem, identityFromPkcs12, type SealIdentity } from './sealIdentity';
import { demoSealAsPkcs12 } from './testing/pkcs12';
import { samplePdf } from './testing/samplePdf';

const dir = mkdtempSync(join(tmpdir(), 'pdf-seal-'));
// The hub's clock at sealing, to the second (as the CMS signing-time states it).
const SIGNED_AT = new Date(Math.floor(Date.now() / 1000) * 1000);
let demo: DemoSealPaths;
let other: DemoSealPaths;
let seal: SealIdentity;
let rootPem: string;
let unsealed: Uint8Array;
let sealed: Uint8Array;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const save = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const nssDir = join(dir, 'nss');
const pdfsig = (path: string) =>
  spawnSync('pdfsig', ['-nssdir', `sql:${nssDir}`, path], { encoding: 'utf8' });

beforeAll(async () => {
  demo = await createDemoSeal(join(dir, 'demo'), { centerName: '赤峰市集约送达中心' });
  other = await createDemoSeal(join(dir, 'other'));
  rootPem = readFileSync(demo.root, 'utf8');
  seal = await identityFromPem(readFileSync(demo.certificates, 'utf8'), readFileSync(demo.key, 'utf8'));
  unsealed = await samplePdf('送达回证 (2024)内0402民初1234号', SIGNED_AT);
  sealed = await sealPdf(unsealed, seal, { signingTime: SIGNED_AT });
  execFileSync('mkdir', ['-p', nssDir]);
  execFileSync('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', 'demo-root', '-t', 'CT,C,C', '-i', demo.root]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo seal', () => {
  it('keeps the key for the hub only and names the center in Chinese', () => {
    expect(statSync(demo.key).mode & 0o777).toBe(0o600);
    expect(seal.signerName).toBe('赤峰市集约送达中心 电子印章');
    const subject = execFileSync(
      'openssl',
      ['x509', '-in', demo.certificates, '-noout', '-subject', '-nameopt', 'utf8'],
      {
        encoding: 'utf8',
      },
    );
    expect(subject).toMatch(/O ?= ?赤峰市集约送达中心/);
  });

  it('never overwrites a seal key that exists', async () => {
    await expect(createDemoSeal(join(dir, 'demo'))).rejects.toThrow(/exists/);
  });

  it('refuses a key that is not the certificate’s', async () => {
    await expect(
      identityFromPem(readFileSync(demo.certificates, 'utf8'), readFileSync(other.key, 'utf8')),
    ).rejects.toThrow(/does not belong/);
  });
});

describe('a sealed PDF', () => {
  it('keeps the unsealed bytes as they were and verifies', async () => {
    expect(
      Buffer.from(sealed.subarray(0, unsealed.length - 1)).equals(Buffer.from(unsealed.subarray(0, -1))),
    ).toBe(true);
    const verdict = await verifySealedPdf(sealed, [rootPem]);
    expect(verdict).toMatchObject({
      ok: true,
      signer: '赤峰市集约送达中心 电子印章',
      signedAt: SIGNED_AT.toISOString(),
    });
    // contentSha256: the bytes the ByteRange covers, i.e. the file without the /Contents hex.
    const text = Buffer.from(sealed).toString('latin1');
    const [, a, b, c, d] = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(text)!.map(Number) as number[];
    const covered = Buffer.concat([sealed.subarray(a!, a! + b!), sealed.subarray(c!, c! + d!)]);
    expect(verdict.ok && verdict.contentSha256).toBe(sha256(covered));
  });

  it('is reported valid and trusted by pdfsig', () => {
    const out = pdfsig(save('sealed.pdf', sealed));
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(out.stdout).toContain('Certificate Validation: Certificate is Trusted.');
    expect(out.stdout).toContain('Total document signed');
    expect(out.stdout).toContain('赤峰市集约送达中心 电子印章');
  });

  it('still renders its page as before (the signature field is invisible)', () => {
    const png = (path: string, prefix: string) => {
      execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', path, join(dir, prefix)]);
      return readFileSync(join(dir, `${prefix}.png`));
    };
    expect(png(save('unsealed.pdf', unsealed), 'before').equals(png(join(dir, 'sealed.pdf'), 'after'))).toBe(
      true,
    );
  });

  it('an unsigned PDF is not_sealed', async () => {
    expect(await verifySealedPdf(unsealed, [rootPem])).toMatchObject({ ok: false, reason: 'not_sealed' });
  });

  it('one changed byte in the signed content is altered, and pdfsig says so too', async () => {
    const spoiled = sealed.slice();
    const at = Buffer.from(sealed).indexOf('/CreationDate') + 20;
    spoiled[at] = spoiled[at]! ^ 0x01;
    expect(await verifySealedPdf(spoiled, [rootPem])).toMatchObject({ ok: false, reason: 'altered' });
    expect(pdfsig(save('altered.pdf', spoiled)).stdout).not.toContain('Signature is Valid.');
  });

  it('a changed byte inside the signature is bad_signature', async () => {
    const spoiled = sealed.slice();
    const contents = Buffer.from(sealed).indexOf('/Contents <') + '/Contents <'.length;
    // Deep inside the CMS (the signature value sits near its end, before the zero padding).
    const signatureEnd = Buffer.from(sealed).indexOf('0000000000', contents);
    const at = signatureEnd - 40;
    spoiled[at] = spoiled[at] === 0x30 ? 0x31 : 0x30;
    expect(await verifySealedPdf(spoiled, [rootPem])).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('bytes appended after sealing are appended', async () => {
    const spoiled = Buffer.concat([sealed, Buffer.from('\n% a note added later\n')]);
    expect(await verifySealedPdf(spoiled, [rootPem])).toMatchObject({ ok: false, reason: 'appended' });
  });

  it('an incremental save after sealing (another signature field) is appended', async () => {
    const resaved = plainAddPlaceholder({
      pdfBuffer: Buffer.from(sealed),
      reason: 'later edit',
      contactInfo: '',
      name: 'someone',
      location: '',
    });
    const verdict = await verifySealedPdf(resaved, [rootPem]);
    expect(verdict).toMatchObject({ ok: false, reason: 'appended' });
    expect(!verdict.ok && verdict.message).toMatch(/bytes follow the sealed revision/);
  });

  it('a seal from another root is untrusted', async () => {
    expect(await verifySealedPdf(sealed, [readFileSync(other.root, 'utf8')])).toMatchObject({
      ok: false,
      reason: 'untrusted',
    });
    expect(await verifySealedPdf(sealed, [])).toMatchObject({ ok: false, reason: 'untrusted' });
  });
});

describe('a real PKCS#12 seal', () => {
  it('loads with its password, seals, and the seal verifies', async () => {
    const p12 = demoSealAsPkcs12(demo, join(dir, 'seal.p12'), 's3cret-p12');
    const identity = await identityFromPkcs12(readFileSync(p12), 's3cret-p12');
    expect(identity.signerName).toBe('赤峰市集约送达中心 电子印章');
    expect(identity.chain).toHaveLength(1);
    const verdict = await verifySealedPdf(await sealPdf(unsealed, identity, { signingTime: SIGNED_AT }), [
      rootPem,
    ]);
    expect(verdict.ok).toBe(true);
    await expect(identityFromPkcs12(readFileSync(p12), 'wrong')).rejects.toThrow(/could not be opened/);
  });
});
