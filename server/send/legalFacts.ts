import {
  PORTAL_EVENT_KINDS,
  type ChannelService,
  type LegalEffectFacts,
  type PortalEventKind,
} from '../../common/domain/legalEffect';
import type { Queryable } from '../db/driver';
import { eventsOf, messagesOfTasks, taskIntake } from '../store/messages';

// The recorded facts of a task's electronic service, in the shape common/domain/legalEffect.ts
// judges: consent from the desk's facts, each message sent with its arrival or failure, and the
// portal's events. The rule itself is computeLegalEffect's alone.

const isPortalKind = (kind: string): kind is PortalEventKind =>
  (PORTAL_EVENT_KINDS as readonly string[]).includes(kind);

export async function legalEffectFacts(tx: Queryable, taskId: string): Promise<LegalEffectFacts> {
  // Consent on the recorded call, timed by the hub's clock on arrival (device clocks order nothing).
  const consents = await tx.query<{ id: string; received_at: Date; recording: string | null }>(
    `SELECT id, received_at, COALESCE(body->>'recordingSha256', blob_sha256) AS recording
       FROM facts WHERE task_id = $1 AND kind = 'consent' ORDER BY received_at, id`,
    [taskId],
  );
  const onCall = consents.find((c) => c.recording);
  const messages = await messagesOfTasks(tx, [taskId]);
  const events = await eventsOf(
    tx,
    messages.map((m) => m.id),
  );
  const signedAddress = events.find((e) => e.kind === 'address_signed' && e.blob_sha256);
  const channels: ChannelService[] = messages
    .filter((m) => m.sent_at)
    .map((m) => {
      const own = events.filter((e) => e.message_id === m.id);
      // The latest word on arrival stands: a carrier's report of delivery after the hub gave up
      // waiting is arrival. An e-mail's bounce (DSN) always comes after the server accepted it,
      // even when a fast relay's DSN was recorded before the hub recorded the acceptance.
      const bounce = own.findLast((e) => e.kind === 'failed' && 'dsn' in e.details);
      const last = bounce ?? own.findLast((e) => e.kind === 'delivered' || e.kind === 'failed');
      const arrival = last?.kind === 'delivered' ? last : undefined;
      const failure = last?.kind === 'failed' ? last : undefined;
      const failureReason = typeof failure?.details.reason === 'string' ? failure.details.reason : null;
      return {
        channel: m.channel,
        address: m.address,
        sentAt: m.sent_at!.toISOString(),
        sentRef: m.id,
        report: arrival
          ? { outcome: 'arrived' as const, at: (m.delivered_at ?? arrival.at).toISOString(), ref: arrival.id }
          : failure
            ? {
                outcome: 'failed' as const,
                at: failure.at.toISOString(),
                reason: failureReason || m.failure_reason || 'failed',
                ref: failure.id,
              }
            : null,
        portalEvents: own.flatMap((e) =>
          isPortalKind(e.kind) ? [{ kind: e.kind, at: e.at.toISOString(), ref: e.id }] : [],
        ),
      };
    });
  const intake = await taskIntake(tx, taskId);
  const served = new Set(messages.flatMap((m) => m.documents.map((d) => d.sha256)));
  return {
    consent: {
      onCall: onCall
        ? {
            consentedAt: onCall.received_at.toISOString(),
            recordingSha256: onCall.recording!,
            ref: onCall.id,
          }
        : null,
      addressConfirmation: signedAddress
        ? {
            signedAt: signedAddress.at.toISOString(),
            documentSha256: signedAddress.blob_sha256!,
            ref: signedAddress.id,
          }
        : null,
    },
    channels,
    documents: intake.documents
      .filter((d) => d.sha256 && served.has(d.sha256))
      .map((d) => ({ title: d.title, kind: d.kind })),
  };
}
