import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { z } from 'zod';

// E-mail bounces after the receiving server accepted a message: its delivery status notification
// (DSN, RFC 3464, multipart/report; report-type=delivery-status) comes back to the message's
// VERP-style envelope sender, `bounce+<messageId>@<domain>`, which names the message by itself.

const VERP_LOCAL = 'bounce+';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const bounceAddress = (domain: string, messageId: string): string =>
  `${VERP_LOCAL}${messageId}@${domain}`;

/** The message id a bounce address names, or null for any other address (of this domain or not). */
export function messageIdOfBounceAddress(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const local = address.slice(0, at).toLowerCase();
  if (!local.startsWith(VERP_LOCAL)) return null;
  const id = local.slice(VERP_LOCAL.length);
  return UUID.test(id) ? id : null;
}

/** One per-recipient block of a DSN, as RFC 3464 §2.3 names its fields. */
const RecipientStatus = z.object({
  'final-recipient': z.string().min(1).max(500),
  action: z.enum(['failed', 'delayed', 'delivered', 'relayed', 'expanded']),
  status: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'a status code like 5.1.1'),
  'diagnostic-code': z.string().max(1000).optional(),
  'remote-mta': z.string().max(500).optional(),
});

export interface Dsn {
  reportingMta: string | null;
  /** SHA-256 of the machine-readable status part: the same report relayed again has the same. */
  statusSha256: string;
  /** The original message's Message-ID, from the returned headers when the DSN carries them. */
  originalMessageId: string | null;
  recipients: {
    finalRecipient: string;
    action: z.infer<typeof RecipientStatus>['action'];
    status: string;
    diagnostic: string | null;
  }[];
}

export class NotADsnError extends Error {}

/** `Name: value` fields of a block, continuation lines folded in, names lower-cased. */
function fieldsOf(block: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let last: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (/^\s/.test(line) && last) {
      fields[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields[last] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** `rfc822; someone@example.test` → `someone@example.test` (the address type is dropped). */
const typedValue = (value: string): string => value.replace(/^[\w-]+\s*;\s*/, '').trim();

/**
 * Parses a DSN (mailparser for the MIME structure, RFC 3464 fields here). Anything else — an
 * auto-reply, a human answer, a malformed report — is refused with NotADsnError.
 */
export async function parseDsn(raw: Buffer): Promise<Dsn> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true });
  const type = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  if (
    type?.value !== 'multipart/report' ||
    type.params?.['report-type']?.toLowerCase() !== 'delivery-status'
  ) {
    throw new NotADsnError(
      'not a delivery status notification (multipart/report; report-type=delivery-status)',
    );
  }
  const status = mail.attachments.find((a) => a.contentType === 'message/delivery-status');
  if (!status) throw new NotADsnError('the report has no message/delivery-status part');
  const statusText = status.content.toString('utf8');
  const [perMessage = '', ...blocks] = statusText.split(/\r?\n\s*\r?\n/).filter((b) => b.trim().length > 0);
  const recipients = blocks.map((block) => {
    const parsed = RecipientStatus.safeParse(fieldsOf(block));
    if (!parsed.success)
      throw new NotADsnError(`a recipient block is malformed: ${z.prettifyError(parsed.error)}`);
    const fields = parsed.data;
    return {
      finalRecipient: typedValue(fields['final-recipient']),
      action: fields.action,
      status: fields.status,
      diagnostic: fields['diagnostic-code'] ? typedValue(fields['diagnostic-code']) : null,
    };
  });
  if (recipients.length === 0) throw new NotADsnError('the report names no recipient');
  const headers = mail.attachments.find((a) =>
    ['text/rfc822-headers', 'message/rfc822', 'message/rfc822-headers'].includes(a.contentType),
  );
  const originalMessageId = headers
    ? (fieldsOf(headers.content.toString('utf8').split(/\r?\n\r?\n/)[0]!)['message-id'] ?? null)
    : null;
  const reportingMta = fieldsOf(perMessage)['reporting-mta'];
  return {
    reportingMta: reportingMta ? typedValue(reportingMta) : null,
    statusSha256: createHash('sha256').update(statusText).digest('hex'),
    originalMessageId,
    recipients,
  };
}

/** The failure reason kept on the message: the status code and the remote server's diagnostic. */
export const bounceReason = (recipient: Dsn['recipients'][number]): string =>
  `${recipient.status} ${recipient.diagnostic ?? ''}`.trim().slice(0, 500);
