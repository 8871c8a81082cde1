// Seals a proof of service: a PDF signature added as an incremental update (the desk's bytes stay
// exactly as they were, so the unsealed proof's SHA-256 still identifies the content), with an
// invisible signature field, /ByteRange over the whole file except /Contents, and in /Contents a
// detached CMS SignedData over those bytes: signed attributes content-type, message-digest,
// signing-time and ESS signing-certificate-v2 (RFC 5035), the seal certificate and its chain.
// SubFilter adbe.pkcs7.detached: the CMS carries signing-time, which PAdES baseline (ETSI.CAdES.
// detached) forbids; every PDF reader and pdfsig validate both the same way.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import type { SealIdentity } from './sealIdentity';

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** Room for the CMS in /Contents, in bytes: a 4096-bit key and a three-certificate chain fit. */
const SIGNATURE_BYTES = 12_288;

export interface SealOptions {
  /** The signing time stated in the CMS and the signature dictionary (the hub's clock). */
  signingTime: Date;
  /** ASCII only (the placeholder writer does not encode PDF text strings); the signer's name in
   * Chinese is in the certificate, which is what readers show. */
  reason?: string;
  location?: string;
  contactInfo?: string;
}

const asciiOnly = (s: string) => {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`signature dictionary text must be printable ASCII: ${s}`);
  return s;
};

const ab = (bytes: Uint8Array) => bytes.slice().buffer as ArrayBuffer;

/** ESS signing-certificate-v2: binds the signature to this certificate (hash and issuer/serial). */
async function signingCertificateV2(certificate: Uint8Array, cert: pkijs.Certificate) {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', ab(certificate)));
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }).toSchema(),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the
  // default hash algorithm (SHA-256) leaves it out.
  const essCertId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: hash.buffer }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

class CmsSigner extends Signer {
  constructor(private readonly seal: SealIdentity) {
    super();
  }

  override async sign(signedBytes: Buffer, signingTime?: Date): Promise<Buffer> {
    const certificate = pkijs.Certificate.fromBER(ab(this.seal.certificate));
    const digest = await crypto.subtle.digest('SHA-256', ab(signedBytes));
    const attributes = [
      new pkijs.Attribute({
        type: OID.contentType,
        values: [new asn1js.ObjectIdentifier({ value: OID.data })],
      }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: digest })],
      }),
      new pkijs.Attribute({
        type: OID.signingTime,
        values: [new asn1js.UTCTime({ valueDate: signingTime ?? new Date() })],
      }),
      new pkijs.Attribute({
        type: OID.signingCertificateV2,
        values: [await signingCertificateV2(this.seal.certificate, certificate)],
      }),
    ];
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({
            issuer: certificate.issuer,
            serialNumber: certificate.serialNumber,
          }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
        }),
      ],
      certificates: [certificate, ...this.seal.chain.map((der) => pkijs.Certificate.fromBER(ab(der)))],
    });
    await signedData.sign(this.seal.privateKey, 0, 'SHA-256');
    const info = new pkijs.ContentInfo({
      contentType: pkijs.ContentInfo.SIGNED_DATA,
      content: signedData.toSchema(true),
    });
    return Buffer.from(info.toSchema().toBER());
  }
}

/** The sealed PDF: `pdf` unchanged, followed by the signature's incremental update. */
export async function sealPdf(
  pdf: Uint8Array,
  seal: SealIdentity,
  options: SealOptions,
): Promise<Uint8Array> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf),
    reason: asciiOnly(options.reason ?? 'Proof of service sealed by the delivery center'),
    contactInfo: asciiOnly(options.contactInfo ?? ''),
    name: 'Delivery center seal',
    location: asciiOnly(options.location ?? ''),
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    // Written as a PDF name (/DeliveryDeskHub): no spaces.
    appName: 'DeliveryDeskHub',
  });
  const sealed = await new SignPdf().sign(withPlaceholder, new CmsSigner(seal), options.signingTime);
  return new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength);
}
