// The center's seal as the hub holds it: the private key (never leaves the hub), the seal
// certificate and the certificates above it. Loaded from the demo files `hub:admin seal-demo`
// writes (PEM) or from a real PKCS#12 file; either way validated when the hub starts.
import * as asn1js from 'asn1js';
import { webcrypto } from 'node:crypto';
import forge from 'node-forge';
import * as pkijs from 'pkijs';

export interface SealIdentity {
  privateKey: webcrypto.CryptoKey;
  /** The seal certificate (DER). */
  certificate: Uint8Array;
  /** The issuing chain above it, root last (DER), embedded in each signature. */
  chain: Uint8Array[];
  /** The certificate's subject common name: who the PDF says signed. */
  signerName: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const ECDSA = (namedCurve: string) => ({ name: 'ECDSA', namedCurve }) as const;
const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

export function pemBlocks(pem: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

const parseCertificate = (der: Uint8Array) => pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>);

function commonName(certificate: pkijs.Certificate): string {
  const cn = certificate.subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  return (cn?.value.valueBlock.value as string | undefined) ?? certificate.subject.toString();
}

/** The WebCrypto parameters for the key the certificate certifies (RSA or EC). */
function keyAlgorithmOf(certificate: pkijs.Certificate) {
  const spki = certificate.subjectPublicKeyInfo.algorithm;
  if (spki.algorithmId === '1.2.840.113549.1.1.1') return RSA;
  if (spki.algorithmId === '1.2.840.10045.2.1') {
    const curve = CURVES[(spki.algorithmParams as asn1js.ObjectIdentifier).valueBlock.toString()];
    if (curve) return ECDSA(curve);
  }
  throw new Error(
    `the seal certificate's key type (${spki.algorithmId}) is not supported (RSA or EC P-256/384/521)`,
  );
}

/** Builds and checks an identity: the key must be the certificate's, and usable for signing now. */
async function identityOf(pkcs8: Uint8Array, certificate: Uint8Array, chain: Uint8Array[], now: Date) {
  const cert = parseCertificate(certificate);
  const algorithm = keyAlgorithmOf(cert);
  const privateKey = await crypto.subtle.importKey(
    'pkcs8',
    pkcs8 as Uint8Array<ArrayBuffer>,
    algorithm,
    false,
    ['sign'],
  );
  if (now < cert.notBefore.value || now > cert.notAfter.value)
    throw new Error(
      `the seal certificate is valid from ${cert.notBefore.value.toISOString()} to ${cert.notAfter.value.toISOString()}`,
    );
  // The key must match the certificate: sign a probe and verify it with the certificate's key.
  const publicKey = await cert.getPublicKey({ algorithm: { algorithm, usages: ['verify'] } });
  const probe = new TextEncoder().encode('seal key probe');
  const params = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
  const signature = await crypto.subtle.sign(params, privateKey, probe);
  if (!(await crypto.subtle.verify(params, publicKey, signature, probe)))
    throw new Error('the seal key does not belong to the seal certificate');
  return { privateKey, certificate, chain, signerName: commonName(cert) } satisfies SealIdentity;
}

/** From PEM text: the seal certificate first, then its chain (one file or several), and a PKCS#8 key. */
export async function identityFromPem(
  certificatesPem: string,
  keyPem: string,
  now = new Date(),
): Promise<SealIdentity> {
  const [certificate, ...chain] = pemBlocks(certificatesPem, 'CERTIFICATE');
  const [key] = pemBlocks(keyPem, 'PRIVATE KEY');
  if (!certificate) throw new Error('no seal certificate (PEM CERTIFICATE) was found');
  if (!key) throw new Error('no seal key (PEM PRIVATE KEY, PKCS#8) was found');
  return identityOf(key, certificate, chain, now);
}

/** From a PKCS#12 (.p12/.pfx) file: the key, the certificate that matches it, and the rest as chain. */
export async function identityFromPkcs12(
  p12: Uint8Array,
  password: string,
  now = new Date(),
): Promise<SealIdentity> {
  let bags: { keys: forge.pkcs12.Bag[]; certs: forge.pkcs12.Bag[] };
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
    const store = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
    bags = {
      keys: [
        ...(store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
          forge.pki.oids.pkcs8ShroudedKeyBag!
        ] ?? []),
        ...(store.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
      ],
      certs: store.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [],
    };
  } catch (e) {
    throw new Error(
      `the PKCS#12 file could not be opened (wrong password or not PKCS#12): ${(e as Error).message}`,
    );
  }
  const keyBag = bags.keys[0];
  if (!keyBag || bags.keys.length !== 1)
    throw new Error('the PKCS#12 file must hold exactly one private key');
  // forge decodes RSA keys; an EC key stays as its PrivateKeyInfo ASN.1.
  const keyAsn1 = keyBag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key))
    : keyBag.asn1;
  if (!keyAsn1) throw new Error('the PKCS#12 private key could not be read');
  const pkcs8 = new Uint8Array(Buffer.from(forge.asn1.toDer(keyAsn1).getBytes(), 'binary'));
  const certificates = bags.certs.map((bag) => {
    const der = bag.cert
      ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes()
      : forge.asn1.toDer(bag.asn1).getBytes();
    return new Uint8Array(Buffer.from(der, 'binary'));
  });
  // The seal certificate is the one whose local key id matches the key's, else the only non-CA one.
  const keyId = keyBag.attributes?.localKeyId?.[0];
  const index = certificates.findIndex(
    (_, i) => keyId && bags.certs[i]!.attributes?.localKeyId?.[0] === keyId,
  );
  const leafIndex = index >= 0 ? index : certificates.findIndex((der) => !isCa(parseCertificate(der)));
  if (leafIndex < 0) throw new Error('the PKCS#12 file holds no certificate for its key');
  const [leaf] = certificates.splice(leafIndex, 1);
  return identityOf(pkcs8, leaf!, certificates, now);
}

function isCa(certificate: pkijs.Certificate): boolean {
  const bc = certificate.extensions?.find((e) => e.extnID === '2.5.29.19');
  return Boolean((bc?.parsedValue as pkijs.BasicConstraints | undefined)?.cA);
}
