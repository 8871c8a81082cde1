// Checks the hub's seal on a proof of service (issue 9): a PDF signature (an AcroForm signature
// field whose /ByteRange covers the whole file except its /Contents, a detached CMS SignedData in
// /Contents). Pure TypeScript over WebCrypto (pkijs + asn1js on globalThis.crypto.subtle), so the
// desk, the hub, `npm run verify` and a browser page all judge a proof the same way.
//
// The order of the checks is the order of the reasons: no signature at all (not_sealed), bytes
// after the signed revision (appended: the ByteRange must end at the file's end, so an incremental
// update or anything else written after sealing is caught), the signed bytes' digest (altered),
// the CMS signature itself (bad_signature), and last the certificate chain to one of the given
// roots (untrusted). The chain is judged at the signing time the signature states: a seal stays
// valid after its certificate expires, as a paper seal does.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesToHex } from '@noble/hashes/utils.js';
import { latin1 } from './pdfBytes';

export type SealFailure = 'not_sealed' | 'altered' | 'appended' | 'untrusted' | 'bad_signature';

export type SealVerdict =
  | { ok: true; signer: string; signedAt: string; contentSha256: string }
  | { ok: false; reason: SealFailure; message: string };

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
} as const;

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

class Refusal extends Error {
  constructor(
    readonly reason: SealFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The signature's place in the file: the two signed ranges and the hex /Contents between them. */
interface SignatureLayout {
  signed: Uint8Array;
  contentsHex: string;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/;

function layoutOf(pdf: Uint8Array): SignatureLayout {
  // The hub seals once; its signature is the first in the file. A later one (someone else's
  // signature in an incremental update) leaves the first one's range short of the end: appended.
  const match = BYTE_RANGE.exec(latin1(pdf));
  if (!match) throw new Refusal('not_sealed', 'the PDF has no signature (/ByteRange)');
  const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || b <= 0 || c <= b + 1 || c + d > pdf.length)
    throw new Refusal('altered', `the signature's /ByteRange [${a} ${b} ${c} ${d}] does not fit the file`);
  if (c + d !== pdf.length)
    throw new Refusal(
      'appended',
      `${pdf.length - (c + d)} bytes follow the sealed revision (an incremental update or appended data)`,
    );
  const contents = latin1(pdf.subarray(b, c));
  if (!/^<[0-9A-Fa-f]*>$/.test(contents))
    throw new Refusal('altered', 'the gap the /ByteRange leaves is not the signature’s hex /Contents');
  const signed = new Uint8Array(b + d);
  signed.set(pdf.subarray(0, b), 0);
  signed.set(pdf.subarray(c, c + d), b);
  return { signed, contentsHex: contents.slice(1, -1) };
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

const digest = async (algorithm: string, bytes: Uint8Array) =>
  new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, bytes as Uint8Array<ArrayBuffer>));

function parseSignedData(der: Uint8Array): pkijs.SignedData {
  // /Contents is zero-padded after the DER: asn1js reads the first element and stops.
  const parsed = asn1js.fromBER(der as Uint8Array<ArrayBuffer>);
  if (parsed.offset === -1) throw new Refusal('bad_signature', 'the signature is not DER (CMS)');
  try {
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA)
      throw new Refusal('bad_signature', 'the signature is not a CMS SignedData');
    return new pkijs.SignedData({ schema: info.content });
  } catch (e) {
    if (e instanceof Refusal) throw e;
    throw new Refusal('bad_signature', `the signature does not parse as CMS: ${(e as Error).message}`);
  }
}

function attribute(signer: pkijs.SignerInfo, oid: string): asn1js.AsnType | undefined {
  return signer.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0];
}

function signingTimeOf(signer: pkijs.SignerInfo): Date {
  const value = attribute(signer, OID.signingTime);
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) return value.toDate();
  throw new Refusal('bad_signature', 'the signature has no signing-time attribute');
}

function nameOf(certificate: pkijs.Certificate): string {
  const rdn = certificate.subject.typesAndValues;
  const value = (oid: string) =>
    rdn.find((t) => t.type === oid)?.value.valueBlock.value as string | undefined;
  return value(OID.commonName) ?? value(OID.organization) ?? 'unnamed signer';
}

function parseRoots(pems: readonly string[]): pkijs.Certificate[] {
  const roots: pkijs.Certificate[] = [];
  for (const pem of pems)
    for (const block of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
      const der = Uint8Array.from(atob(block[1]!.replace(/\s+/g, '')), (ch) => ch.charCodeAt(0));
      roots.push(pkijs.Certificate.fromBER(der));
    }
  return roots;
}

/** Verifies the hub's seal on `pdf` against the center's root certificates (PEM). */
export async function verifySealedPdf(
  pdf: Uint8Array,
  trustedRootsPem: readonly string[],
): Promise<SealVerdict> {
  try {
    return await verify(pdf, trustedRootsPem);
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, reason: e.reason, message: e.message };
    return {
      ok: false,
      reason: 'bad_signature',
      message: `the seal could not be checked: ${(e as Error).message}`,
    };
  }
}

async function verify(pdf: Uint8Array, trustedRootsPem: readonly string[]): Promise<SealVerdict> {
  const { signed, contentsHex } = layoutOf(pdf);
  const signedData = parseSignedData(hexToBytes(contentsHex));
  const signer = signedData.signerInfos[0];
  if (!signer || signedData.signerInfos.length !== 1)
    throw new Refusal('bad_signature', 'the signature must have exactly one signer');

  const algorithm = DIGESTS[signer.digestAlgorithm.algorithmId];
  if (!algorithm)
    throw new Refusal('bad_signature', `unsupported digest algorithm ${signer.digestAlgorithm.algorithmId}`);
  const stated = attribute(signer, OID.messageDigest);
  if (!(stated instanceof asn1js.OctetString))
    throw new Refusal('bad_signature', 'the signature has no message-digest attribute');
  const actual = await digest(algorithm, signed);
  if (bytesToHex(stated.valueBlock.valueHexView) !== bytesToHex(actual))
    throw new Refusal('altered', 'the signed bytes of the PDF were changed after sealing (digest mismatch)');
  const signedAt = signingTimeOf(signer);

  const result = await signedData.verify({
    signer: 0,
    data: signed.buffer as ArrayBuffer,
    extendedMode: true,
  });
  if (!result.signatureVerified || !result.signerCertificate)
    throw new Refusal('bad_signature', result.message || 'the CMS signature does not verify');

  const roots = parseRoots(trustedRootsPem);
  if (roots.length === 0) throw new Refusal('untrusted', 'no trusted root certificate was given');
  const chain = new pkijs.CertificateChainValidationEngine({
    trustedCerts: roots,
    // pkijs builds the path from the last certificate given: the seal's own.
    certs: [
      ...(signedData.certificates ?? []).filter(
        (c): c is pkijs.Certificate => c instanceof pkijs.Certificate && c !== result.signerCertificate,
      ),
      result.signerCertificate,
    ],
    checkDate: signedAt,
  });
  const trust = await chain.verify();
  if (!trust.result)
    throw new Refusal(
      'untrusted',
      `the seal certificate does not chain to a trusted root: ${trust.resultMessage}`,
    );

  return {
    ok: true,
    signer: nameOf(result.signerCertificate),
    signedAt: signedAt.toISOString(),
    contentSha256: bytesToHex(algorithm === 'SHA-256' ? actual : await digest('SHA-256', signed)),
  };
}
