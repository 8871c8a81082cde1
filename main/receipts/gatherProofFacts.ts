// The facts of a delivered task's proof of service, gathered from the hub's task snapshot (the
// intake, the facts every desk pushed, the messages the hub sent with their delivery reports and
// portal events) and this desk's own store (the audit chain's head, who acts, the calling
// number). Pure: the caller reads the store; the result parses as ProofFacts or this throws.
import { PORTAL_EVENT_KINDS, type PortalEventKind } from '../../common/domain/legalEffect';
import { ProofFactsSchema, type ProofFacts } from '../../common/proof/proofFacts';
import type { FactView, TaskSnapshot } from '../../common/sync/protocol';
import type { MessageView } from '../../common/sync/send';

export interface ProofContext {
  proofId: string;
  issuedAt: string;
  /** The hub's public address: the QR code points at `<hubUrl>/verify/<proofId>`. */
  hubUrl: string;
  specialist: { name: string; id: string };
  callingNumber: string;
  /** The task's last audit event and the chain's head hash when the proof is made. */
  audit: { seq: number; headHash: string; at: string };
}

const isPortalKind = (kind: string): kind is PortalEventKind =>
  (PORTAL_EVENT_KINDS as readonly string[]).includes(kind);
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const factAt = (fact: FactView) => fact.deviceAt ?? fact.receivedAt;

function documentsOf(snapshot: TaskSnapshot): ProofFacts['documents'] {
  // The hashes of what was sent (the messages carry them) first; the intake's as they came.
  const sent = new Map<string, { title: string; kind: string; sha256: string }>();
  for (const message of snapshot.messages ?? []) for (const d of message.documents) sent.set(d.sha256, d);
  if (sent.size > 0) return [...sent.values()].map((d) => ({ ...d, copies: 1 }));
  const hashed = snapshot.intake.documents.filter((d) => d.sha256 !== null);
  if (hashed.length === 0) throw new Error('the task has no document with a known SHA-256: nothing to cite');
  return hashed.map((d) => ({ title: d.title, kind: d.kind || 'document', copies: 1, sha256: d.sha256! }));
}

// The proof cites each message, report and portal event by the hub's own id, and states times as
// the hub recorded them: the evidence bundle and the hub's /verify look them up by these
// (docs/evidence-bundle.md), and the legal effect must come out as the hub's (server/send/legalFacts.ts).
function channelOf(message: MessageView): ProofFacts['channels'][number] | null {
  if (!message.sentAt) return null;
  // The latest word on arrival stands; an e-mail's bounce (the failure that stored its DSN) always
  // comes after the mail server's acceptance, whatever order they were recorded in.
  const bounce = message.events.findLast((e) => e.kind === 'failed' && e.blobSha256);
  const last = bounce ?? message.events.findLast((e) => e.kind === 'delivered' || e.kind === 'failed');
  const report =
    last?.kind === 'delivered'
      ? { outcome: 'arrived' as const, at: message.deliveredAt ?? last.at, ref: last.id }
      : last?.kind === 'failed'
        ? {
            outcome: 'failed' as const,
            at: last.at,
            reason: message.failureReason ?? 'failed',
            ref: last.id,
          }
        : null;
  return {
    channel: message.channel,
    address: message.address,
    from: message.sender,
    sentAt: message.sentAt,
    sentRef: message.id,
    report,
    portalEvents: message.events
      .filter((e) => isPortalKind(e.kind))
      .map((e) => ({
        kind: e.kind as PortalEventKind,
        at: e.at,
        ref: e.id,
        ip: e.ip ?? null,
        userAgent: e.userAgent ?? null,
      })),
  };
}

function consentOf(snapshot: TaskSnapshot): ProofFacts['consent'] {
  // The first consent on a recorded call, timed by the hub's clock on arrival, as the hub rules on it.
  const consent = snapshot.facts
    .filter((f) => f.kind === 'consent' && str(f.body.recordingSha256 ?? f.blobSha256))
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id))[0];
  const signed = (snapshot.messages ?? [])
    .flatMap((m) => m.events)
    .filter((e) => e.kind === 'address_signed' && e.blobSha256)
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))[0];
  return {
    onCall: consent
      ? {
          consentedAt: consent.receivedAt,
          recordingSha256: str(consent.body.recordingSha256 ?? consent.blobSha256)!,
          ref: consent.id,
        }
      : null,
    addressConfirmation: signed
      ? { signedAt: signed.at, documentSha256: signed.blobSha256!, ref: signed.id }
      : null,
  };
}

function negativeEventsOf(snapshot: TaskSnapshot): ProofFacts['negativeEvents'] {
  const failures = snapshot.facts
    .filter(
      (f) => f.kind === 'attempt' && str(f.body.disposition) && f.body.disposition !== 'connected_consented',
    )
    .map((f) => ({
      at: factAt(f),
      what: `通话结果 ${String(f.body.disposition)}`,
      reason: str(f.body.notes) ?? String(f.body.disposition),
      ref: f.id,
    }));
  const failedMessages = (snapshot.messages ?? [])
    .filter((m) => m.status === 'failed')
    .map((m) => ({
      at: m.sentAt ?? m.createdAt,
      what: `${m.channel === 'sms' ? '短信' : '电子邮件'}未送达`,
      reason: m.failureReason ?? 'failed',
      ref: m.id,
    }));
  return [...failures, ...failedMessages];
}

export function gatherProofFacts(snapshot: TaskSnapshot, context: ProofContext): ProofFacts {
  const { intake } = snapshot;
  return ProofFactsSchema.parse({
    proofId: context.proofId,
    issuedAt: context.issuedAt,
    verifyUrl: `${context.hubUrl.replace(/\/+$/, '')}/verify/${context.proofId}`,
    court: { name: intake.case.court, department: intake.case.department },
    case: { number: intake.case.number, cause: intake.case.cause },
    documents: documentsOf(snapshot),
    recipient: { name: intake.party.name, role: intake.party.role, kind: intake.party.kind },
    receivedBy: null,
    method: snapshot.method,
    consent: consentOf(snapshot),
    channels: (snapshot.messages ?? []).map(channelOf).filter((c) => c !== null),
    specialist: context.specialist,
    callingNumber: context.callingNumber,
    refusal: null,
    postal: null,
    negativeEvents: negativeEventsOf(snapshot),
    audit: context.audit,
  });
}
