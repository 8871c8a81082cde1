// `hub:admin seal-demo`: a demo root CA and a seal certificate it issues, for tests and the demo.
// The root's key is used once and dropped (a demo root issues one seal); the seal key is written
// for the hub only (0600). A real center configures its CA-issued PKCS#12 file instead.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { toPem } from './sealIdentity';

export const DEMO_CENTER_NAME = '集约送达中心（示范）';

export const DEMO_SEAL_FILES = {
  root: 'seal-root.pem',
  certificates: 'seal-cert.pem',
  key: 'seal-key.pem',
} as const;

export interface DemoSealPaths {
  dir: string;
  /** The demo root certificate: what verifiers (and pdfsig's NSS database) trust. */
  root: string;
  /** The seal certificate followed by the root. */
  certificates: string;
  /** The seal's PKCS#8 private key, readable by the hub's user only. */
  key: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]) };
const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;

const OID = {
  country: '2.5.4.6',
  organization: '2.5.4.10',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
} as const;

/** C=CN, O=<center>, CN=<cn>: one attribute per RDN, the Chinese names as UTF8String. */
function nameOf(cn: string, center: string): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseStringBlock) =>
    new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value }).toSchema()] });
  const name = new asn1js.Sequence({
    value: [
      rdn(OID.country, new asn1js.PrintableString({ value: 'CN' })),
      rdn(OID.organization, new asn1js.Utf8String({ value: center })),
      rdn(OID.commonName, new asn1js.Utf8String({ value: cn })),
    ],
  });
  // Parsed back from DER: pkijs then encodes the name as it is (it would merge RDNs it builds).
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER(false));
}

const extension = (extnID: string, critical: boolean, value: asn1js.AsnType) =>
  new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });

/** KeyUsage as a DER named-bit string: `bits` in the first octet, trailing zero bits unused. */
const keyUsage = (bits: number) =>
  new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: Math.log2(bits & -bits) });

/** The key identifier of RFC 5280 4.2.1.2 (1): SHA-1 of the subjectPublicKey bits. */
async function keyIdOf(cert: pkijs.Certificate): Promise<ArrayBuffer> {
  return crypto.subtle.digest(
    'SHA-1',
    cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView.slice(),
  );
}

interface CertificateSpec {
  subject: string;
  center: string;
  issuer: pkijs.Certificate | null;
  publicKey: webcrypto.CryptoKey;
  signingKey: webcrypto.CryptoKey;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}

async function issue(spec: CertificateSpec): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0]! &= 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial.buffer });
  cert.subject = nameOf(spec.subject, spec.center);
  cert.issuer = spec.issuer ? spec.issuer.subject : cert.subject;
  cert.notBefore.value = spec.notBefore;
  cert.notAfter.value = spec.notAfter;
  await cert.subjectPublicKeyInfo.importKey(spec.publicKey);
  const keyId = await keyIdOf(cert);
  cert.extensions = [
    extension(
      OID.basicConstraints,
      true,
      new pkijs.BasicConstraints(spec.ca ? { cA: true, pathLenConstraint: 0 } : {}).toSchema(),
    ),
    // keyCertSign + cRLSign for the root; digitalSignature + nonRepudiation for the seal.
    extension(OID.keyUsage, true, keyUsage(spec.ca ? 0x06 : 0xc0)),
    extension(OID.subjectKeyId, false, new asn1js.OctetString({ valueHex: keyId })),
  ];
  if (spec.issuer)
    cert.extensions.push(
      extension(
        OID.authorityKeyId,
        false,
        new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({ valueHex: await keyIdOf(spec.issuer) }),
        }).toSchema(),
      ),
    );
  await cert.sign(spec.signingKey, 'SHA-256');
  return cert;
}

export async function createDemoSeal(
  dir: string,
  options: { centerName?: string; now?: Date } = {},
): Promise<DemoSealPaths> {
  if (existsSync(join(dir, DEMO_SEAL_FILES.key))) throw new Error(`a seal key exists in ${dir} already`);
  const center = options.centerName ?? DEMO_CENTER_NAME;
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - DAY);
  const rootKeys = await crypto.subtle.generateKey({ ...RSA, modulusLength: 3072 }, true, ['sign', 'verify']);
  const sealKeys = await crypto.subtle.generateKey({ ...RSA, modulusLength: 2048 }, true, ['sign', 'verify']);
  const root = await issue({
    subject: `${center} 示范根证书`,
    center,
    issuer: null,
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore,
    notAfter: new Date(now.getTime() + 20 * YEAR),
    ca: true,
  });
  const seal = await issue({
    subject: `${center} 电子印章`,
    center,
    issuer: root,
    publicKey: sealKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore,
    notAfter: new Date(now.getTime() + 5 * YEAR),
    ca: false,
  });

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths: DemoSealPaths = {
    dir,
    root: join(dir, DEMO_SEAL_FILES.root),
    certificates: join(dir, DEMO_SEAL_FILES.certificates),
    key: join(dir, DEMO_SEAL_FILES.key),
  };
  const rootPem = toPem(der(root), 'CERTIFICATE');
  writeFileSync(paths.root, rootPem, { mode: 0o644 });
  writeFileSync(paths.certificates, toPem(der(seal), 'CERTIFICATE') + rootPem, { mode: 0o644 });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', sealKeys.privateKey));
  // 'wx': never overwrite a seal key that exists (the certificates beside it would stop matching it).
  writeFileSync(paths.key, toPem(pkcs8, 'PRIVATE KEY'), { mode: 0o600, flag: 'wx' });
  chmodSync(paths.key, 0o600);
  return paths;
}

const der = (cert: pkijs.Certificate) => new Uint8Array(cert.toSchema(true).toBER(false));
