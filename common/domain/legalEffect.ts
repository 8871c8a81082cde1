// The legal effect of an electronic service: whether it took effect, on which rule, at which instant,
// and on which recorded facts. The one place this is decided (issue 8); the desk shows it on the task
// and the proof of service (送达回证) cites it. Pure: callers pass the facts, nothing reads the clock.
//
// The rules (PRC; DOMAIN.md "Legal rules", summarised, not legal advice):
// - Electronic service needs the recipient's consent (CPL Art. 90). Consent is on record as the
//   party's consent on the recorded call (its time and the recording's SHA-256) or as the signed
//   delivery-address confirmation 送达地址确认书 (Interpretation Arts. 136–137).
// - Address provided or confirmed by the party (consent on record): service is effective when the
//   message reaches the recipient's system (CPL Art. 90; Online Litigation Rules) — the carrier's
//   delivery report for SMS, the receiving mail server's acceptance for e-mail. Across channels the
//   earliest arrival counts. Only a message sent at or after the consent counts for this rule: a
//   message sent before it was not an electronic service the party had agreed to. → `arrival_on_consent`
// - Otherwise the address counts as found by the center (Online Litigation Rules): service is
//   effective when the party replies or acts — confirms receipt or signs in the portal, which is also
//   acceptance without objection, i.e. implied consent → `reply_or_confirm` (confirmed); or it is
//   PRESUMED (rebuttable) when the system shows it was read: the link was opened and the identity
//   verified (a view or download implies both) → `presumed_on_read`. Opening the link alone is not
//   a read (logging in alone is not consent).
// - Judgments 判决书, rulings 裁定书 and mediation statements 调解书 may be served electronically,
//   but a paper copy must be given on request (CPL Art. 90): `paperCopyOnRequest` lists them.
// - Every service produces a proof; its date is what the proof states (CPL Art. 87): `serviceDate`.
import { z } from 'zod';
import { IsoInstantSchema, parseInstant, toIsoUtc } from './time';

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');
/** A reference to the recorded fact (audit event, message id, portal event id, …), cited as given. */
export const FactRefSchema = z.string().min(1).max(200);

export const CHANNELS = ['sms', 'email'] as const;
/**
 * The most messages one task's service may hold (every send, every channel, re-sends included):
 * the hub refuses a send past it, so the facts the effect and the proof rest on stay bounded.
 */
export const MAX_SERVICE_MESSAGES = 100;
export type Channel = (typeof CHANNELS)[number];

export const PORTAL_EVENT_KINDS = [
  'opened',
  'verified',
  'viewed',
  'downloaded',
  'confirmed',
  'signed',
] as const;
export type PortalEventKind = (typeof PORTAL_EVENT_KINDS)[number];

/** Events that show the party read the documents (opened and verified, or more). */
const READ_EVENTS: readonly PortalEventKind[] = ['verified', 'viewed', 'downloaded'];
/** Events that are the party's own reply: receipt confirmed, or signed. */
const REPLY_EVENTS: readonly PortalEventKind[] = ['confirmed', 'signed'];

export const ConsentOnCallSchema = z.object({
  consentedAt: IsoInstantSchema,
  recordingSha256: Sha256Schema,
  ref: FactRefSchema,
});

export const AddressConfirmationSchema = z.object({
  signedAt: IsoInstantSchema,
  documentSha256: Sha256Schema,
  ref: FactRefSchema,
});

export const PortalEventSchema = z.object({
  kind: z.enum(PORTAL_EVENT_KINDS),
  at: IsoInstantSchema,
  ref: FactRefSchema,
});

/** What the carrier (SMS) or the receiving mail server (e-mail) reported for one message. */
export const DeliveryReportSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('arrived'), at: IsoInstantSchema, ref: FactRefSchema }),
  z.object({
    outcome: z.literal('failed'),
    at: IsoInstantSchema,
    reason: z.string().min(1).max(500),
    ref: FactRefSchema,
  }),
]);

export const ChannelServiceSchema = z.object({
  channel: z.enum(CHANNELS),
  /** The number or mailbox the message went to. */
  address: z.string().min(1).max(320),
  sentAt: IsoInstantSchema,
  sentRef: FactRefSchema,
  report: DeliveryReportSchema.nullable(),
  portalEvents: z.array(PortalEventSchema).max(1000),
});

export const ServedDocumentKindSchema = z.object({
  title: z.string().min(1).max(200),
  kind: z.string().max(100),
});

export const LegalEffectFactsSchema = z.object({
  consent: z.object({
    onCall: ConsentOnCallSchema.nullable(),
    addressConfirmation: AddressConfirmationSchema.nullable(),
  }),
  channels: z.array(ChannelServiceSchema).max(MAX_SERVICE_MESSAGES),
  documents: z.array(ServedDocumentKindSchema).max(200),
});

export type ConsentOnCall = z.infer<typeof ConsentOnCallSchema>;
export type AddressConfirmation = z.infer<typeof AddressConfirmationSchema>;
export type PortalEvent = z.infer<typeof PortalEventSchema>;
export type DeliveryReport = z.infer<typeof DeliveryReportSchema>;
export type ChannelService = z.infer<typeof ChannelServiceSchema>;
export type LegalEffectFacts = z.infer<typeof LegalEffectFactsSchema>;

export const EFFECT_RULES = [
  'arrival_on_consent',
  'reply_or_confirm',
  'presumed_on_read',
  'not_sent',
  'undelivered',
  'sent_before_consent',
  'awaiting_arrival',
  'awaiting_reply',
] as const;
export type EffectRule = (typeof EFFECT_RULES)[number];

export const EFFECT_BASES = ['confirmed', 'presumed', 'none'] as const;
export type EffectBasis = (typeof EFFECT_BASES)[number];

export const FACT_KINDS = [
  'consent_on_call',
  'address_confirmation',
  'sent',
  'arrival',
  'failure',
  'portal_event',
] as const;

/** One recorded fact the effect rests on, as the proof cites it. */
export interface EffectFact {
  kind: (typeof FACT_KINDS)[number];
  ref: string;
  at: string;
  channel?: Channel;
  detail?: string;
}

export interface LegalEffect {
  effective: boolean;
  basis: EffectBasis;
  rule: EffectRule;
  /** The service date (UTC instant) when effective; null otherwise. */
  serviceDate: string | null;
  /** Ordered by time, then kind and ref: the same facts always give the same list. */
  facts: EffectFact[];
  /** The documents the party may also ask to receive on paper (CPL Art. 90). */
  paperCopyOnRequest: { offered: boolean; documents: string[] };
}

const PAPER_COPY_KINDS = ['judgment', 'ruling', 'mediation_statement'];
const PAPER_COPY_TITLES = ['判决书', '裁定书', '调解书'];

/** Judgments, rulings and mediation statements: by kind, or by title where the kind is free text. */
export function mayAskForPaperCopy(document: { title: string; kind: string }): boolean {
  return (
    PAPER_COPY_KINDS.includes(document.kind.trim().toLowerCase()) ||
    PAPER_COPY_TITLES.some((t) => document.title.includes(t))
  );
}

const millis = (iso: string) => parseInstant(iso).toMillis();
const utc = (iso: string) => toIsoUtc(parseInstant(iso));

/** The earliest of some timed items, ties broken by ref so the choice never depends on input order. */
function earliest<T extends { at: string; ref: string }>(items: readonly T[]): T | null {
  let best: T | null = null;
  for (const item of items) {
    if (
      best === null ||
      millis(item.at) < millis(best.at) ||
      (millis(item.at) === millis(best.at) && item.ref < best.ref)
    )
      best = item;
  }
  return best;
}

function consentFacts(consent: LegalEffectFacts['consent']): EffectFact[] {
  const facts: EffectFact[] = [];
  if (consent.onCall)
    facts.push({
      kind: 'consent_on_call',
      ref: consent.onCall.ref,
      at: utc(consent.onCall.consentedAt),
      detail: consent.onCall.recordingSha256,
    });
  if (consent.addressConfirmation)
    facts.push({
      kind: 'address_confirmation',
      ref: consent.addressConfirmation.ref,
      at: utc(consent.addressConfirmation.signedAt),
      detail: consent.addressConfirmation.documentSha256,
    });
  return facts;
}

const sentFact = (c: ChannelService): EffectFact => ({
  kind: 'sent',
  ref: c.sentRef,
  at: utc(c.sentAt),
  channel: c.channel,
  detail: c.address,
});

function sortFacts(facts: EffectFact[]): EffectFact[] {
  return facts.sort(
    (a, b) =>
      millis(a.at) - millis(b.at) ||
      FACT_KINDS.indexOf(a.kind) - FACT_KINDS.indexOf(b.kind) ||
      (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
}

type PartyEvent = PortalEvent & { channel: ChannelService };

/** Computes the legal effect of an electronic service from its facts (see the rules above). */
export function computeLegalEffect(input: LegalEffectFacts): LegalEffect {
  const facts = LegalEffectFactsSchema.parse(input);
  const paperDocuments = facts.documents.filter(mayAskForPaperCopy).map((d) => d.title);
  const paperCopyOnRequest = { offered: paperDocuments.length > 0, documents: paperDocuments };
  const result = (
    rule: EffectRule,
    basis: EffectBasis,
    serviceDate: string | null,
    rests: EffectFact[],
  ): LegalEffect => ({
    effective: serviceDate !== null,
    basis,
    rule,
    serviceDate: serviceDate === null ? null : utc(serviceDate),
    facts: sortFacts(rests),
    paperCopyOnRequest,
  });

  if (facts.channels.length === 0) return result('not_sent', 'none', null, []);

  const consents = consentFacts(facts.consent);
  const consentAt = earliest(consents);

  // Address provided or confirmed by the party: effective on the earliest arrival sent after consent.
  if (consentAt) {
    const arrivals = facts.channels.flatMap((c) =>
      c.report?.outcome === 'arrived' && millis(c.sentAt) >= millis(consentAt.at)
        ? [{ at: c.report.at, ref: c.report.ref, channel: c }]
        : [],
    );
    const first = earliest(arrivals);
    if (first)
      return result('arrival_on_consent', 'confirmed', first.at, [
        consentAt,
        sentFact(first.channel),
        { kind: 'arrival', ref: first.ref, at: utc(first.at), channel: first.channel.channel },
      ]);
  }

  // Otherwise (no consent on record, or no arrival it covers): the party's own acts decide.
  const events: PartyEvent[] = facts.channels.flatMap((c) =>
    c.portalEvents.map((e) => ({ ...e, channel: c })),
  );
  const portalFact = (e: PartyEvent): EffectFact => ({
    kind: 'portal_event',
    ref: e.ref,
    at: utc(e.at),
    channel: e.channel.channel,
    detail: e.kind,
  });
  const reply = earliest(events.filter((e) => REPLY_EVENTS.includes(e.kind)));
  if (reply)
    return result('reply_or_confirm', 'confirmed', reply.at, [
      ...consents,
      sentFact(reply.channel),
      portalFact(reply),
    ]);
  const read = earliest(events.filter((e) => READ_EVENTS.includes(e.kind)));
  if (read) {
    const opened = earliest(events.filter((e) => e.kind === 'opened' && e.channel === read.channel));
    return result('presumed_on_read', 'presumed', read.at, [
      ...consents,
      sentFact(read.channel),
      ...(opened ? [portalFact(opened)] : []),
      portalFact(read),
    ]);
  }

  // Not effective: say why, on the facts that show it.
  const failures = facts.channels.flatMap((c) =>
    c.report?.outcome === 'failed'
      ? [
          {
            kind: 'failure' as const,
            ref: c.report.ref,
            at: utc(c.report.at),
            channel: c.channel,
            detail: c.report.reason,
          },
        ]
      : [],
  );
  if (failures.length === facts.channels.length)
    return result('undelivered', 'none', null, [...consents, ...facts.channels.map(sentFact), ...failures]);
  const pending = facts.channels.filter((c) => c.report?.outcome !== 'failed');
  if (!consentAt) return result('awaiting_reply', 'none', null, pending.map(sentFact));
  const afterConsent = pending.filter((c) => millis(c.sentAt) >= millis(consentAt.at));
  if (afterConsent.length === 0)
    return result('sent_before_consent', 'none', null, [...consents, ...pending.map(sentFact)]);
  return result('awaiting_arrival', 'none', null, [...consents, ...afterConsent.map(sentFact)]);
}

/** LegalEffect as a schema: the hub's task snapshots carry it, and the desk parses it on arrival. */
export const EffectFactSchema = z.object({
  kind: z.enum(FACT_KINDS),
  ref: z.string(),
  at: IsoInstantSchema,
  channel: z.enum(CHANNELS).optional(),
  detail: z.string().optional(),
});
export const LegalEffectSchema = z.object({
  effective: z.boolean(),
  basis: z.enum(EFFECT_BASES),
  rule: z.enum(EFFECT_RULES),
  serviceDate: IsoInstantSchema.nullable(),
  facts: z.array(EffectFactSchema),
  paperCopyOnRequest: z.object({ offered: z.boolean(), documents: z.array(z.string()) }),
}) satisfies z.ZodType<LegalEffect>;
