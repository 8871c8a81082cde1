// The facts a proof of service (送达回证 / 电子送达凭证) states: every item of DOMAIN.md's list
// "What a proof of service must show". The desk gathers them from its store when a task is
// delivered; the PDF is rendered from them alone, and the hub verifies a proof against the same
// shape. The legal effect is NOT a field: it is computed from these facts by common/domain's
// legalEffect, so a proof can never state an effect its own facts do not support.
import { z } from 'zod';
import { METHODS } from '../domain/model';
import { IsoInstantSchema } from '../domain/time';
import {
  AddressConfirmationSchema,
  CHANNELS,
  ConsentOnCallSchema,
  DeliveryReportSchema,
  FactRefSchema,
  MAX_SERVICE_MESSAGES,
  PortalEventSchema,
  Sha256Schema,
  type LegalEffectFacts,
} from '../domain/legalEffect';

const Text = (max: number) => z.string().trim().min(1).max(max);

/** A file cited by hash: a scan, a photo, a signed confirmation. */
export const HashedFileSchema = z.object({ name: Text(200), sha256: Sha256Schema });

export const ProofDocumentSchema = z.object({
  title: Text(200),
  kind: z.string().max(100),
  copies: z.number().int().min(1).max(99),
  sha256: Sha256Schema,
});

/** A portal event as the proof cites it: with where it came from (issue 8: time, IP, user agent). */
export const ProofPortalEventSchema = PortalEventSchema.extend({
  ip: z.string().max(64).nullable(),
  userAgent: z.string().max(500).nullable(),
});

export const ProofChannelSchema = z.object({
  channel: z.enum(CHANNELS),
  /** The number or mailbox the message went to. */
  address: Text(320),
  /** The sending number or mailbox. */
  from: Text(320),
  sentAt: IsoInstantSchema,
  sentRef: FactRefSchema,
  report: DeliveryReportSchema.nullable(),
  portalEvents: z.array(ProofPortalEventSchema).max(1000),
});

/** Anything that went wrong on the way (unanswered call, refused consent, …), with its reason. */
export const NegativeEventSchema = z.object({
  at: IsoInstantSchema,
  what: Text(200),
  reason: Text(500),
  ref: FactRefSchema,
});

export const ProofFactsSchema = z.object({
  /** The proof's own id, printed in the footer and carried by the QR code. */
  proofId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'letters, digits and dashes'),
  /** When the proof was made from the facts: the PDF's creation date (never the clock at render). */
  issuedAt: IsoInstantSchema,
  /** Where anyone can verify it (the QR code). */
  verifyUrl: z.url({ protocol: /^https?$/ }).max(500),
  court: z.object({ name: Text(100), department: z.string().max(100) }),
  case: z.object({ number: Text(100), cause: z.string().max(200) }),
  documents: z.array(ProofDocumentSchema).min(1).max(200),
  recipient: z.object({
    name: Text(200),
    role: z.string().max(50),
    kind: z.enum(['person', 'organization']),
  }),
  /** Who received on the recipient's behalf, and why; null when the recipient did. */
  receivedBy: z.object({ name: Text(200), relation: Text(100), reason: Text(500) }).nullable(),
  method: z.enum(METHODS),
  consent: z.object({
    onCall: ConsentOnCallSchema.nullable(),
    addressConfirmation: AddressConfirmationSchema.nullable(),
  }),
  channels: z.array(ProofChannelSchema).max(MAX_SERVICE_MESSAGES),
  specialist: z.object({ name: Text(100), id: Text(50) }),
  callingNumber: Text(50),
  refusal: z
    .object({
      reason: Text(500),
      witnesses: z.array(Text(100)).max(20),
      photos: z.array(HashedFileSchema).max(50),
    })
    .nullable(),
  postal: z.object({ trackingNumber: Text(64), scans: z.array(HashedFileSchema).max(50) }).nullable(),
  negativeEvents: z.array(NegativeEventSchema).max(200),
  /** The task's last audit event when the proof was made, and the chain's head hash then. */
  audit: z.object({ seq: z.number().int().min(1), headHash: Sha256Schema, at: IsoInstantSchema }),
});

export type ProofFacts = z.infer<typeof ProofFactsSchema>;
export type ProofChannel = z.infer<typeof ProofChannelSchema>;

/** The part of a proof's facts the legal-effect rule reads. */
export function effectFactsOf(facts: ProofFacts): LegalEffectFacts {
  return {
    consent: facts.consent,
    channels: facts.channels.map((c) => ({
      channel: c.channel,
      address: c.address,
      sentAt: c.sentAt,
      sentRef: c.sentRef,
      report: c.report,
      portalEvents: c.portalEvents.map(({ kind, at, ref }) => ({ kind, at, ref })),
    })),
    documents: facts.documents.map(({ title, kind }) => ({ title, kind })),
  };
}
