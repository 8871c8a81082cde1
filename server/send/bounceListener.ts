import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { SendConfig } from '../config';
import type { HubDb } from '../db/driver';
import { createLogger } from '../logger';
import { sha256Of, storeBlob } from '../store/blobs';
import { recordBounce } from '../store/messages';
import { settleDeliveryEffect } from './deliveryEffect';
import { bounceReason, messageIdOfBounceAddress, NotADsnError, parseDsn } from './bounces';

// The hub's own SMTP listener for bounces. Why SMTP and not an HTTP endpoint: every center's mail
// gateway (Postfix, Exchange, Coremail) can relay a set of addresses to another SMTP host with a
// transport rule and no code, and it queues and retries by itself while the hub is down (a 4xx
// here); an HTTP post would need a script on the gateway. It listens on 127.0.0.1 unless set
// otherwise, takes only `bounce+<messageId>@<domain>` and only DSNs, and answers each clearly.

const log = createLogger('bounces');

type BounceConfig = NonNullable<NonNullable<SendConfig['email']>['bounces']>;

export interface BounceListener {
  readonly port: number;
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) =>
  Object.assign(new Error(message), { responseCode });

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Records what one DSN says of the messages it was sent back for; throws an SMTP answer otherwise. */
async function takeDsn(db: HubDb, raw: Buffer, messageIds: readonly string[]): Promise<void> {
  let dsn;
  try {
    dsn = await parseDsn(raw);
  } catch (error) {
    if (error instanceof NotADsnError) throw smtpError(550, `5.6.0 ${error.message}`);
    throw error;
  }
  const failed = dsn.recipients.find((r) => r.action === 'failed');
  if (!failed) {
    // A delay or a success notice: the message is not failed, nothing to record.
    log.info({ messageIds, actions: dsn.recipients.map((r) => r.action) }, 'DSN without a failure');
    return;
  }
  const dsnSha256 = sha256Of(raw);
  const reason = bounceReason(failed);
  for (const messageId of messageIds) {
    const outcome = await db.transaction(async (tx) => {
      await storeBlob(tx, dsnSha256, raw);
      const recorded = await recordBounce(tx, messageId, {
        reason,
        originalMessageId: dsn.originalMessageId,
        dsnSha256,
        statusSha256: dsn.statusSha256,
        details: {
          reportingMta: dsn.reportingMta,
          finalRecipient: failed.finalRecipient,
          status: failed.status,
          diagnostic: failed.diagnostic,
          originalMessageId: dsn.originalMessageId,
        },
      });
      // The bounce is a message event like any other: the task's effect is judged again with it.
      if (recorded === 'recorded') {
        const [row] = await tx.query<{ task_id: string }>('SELECT task_id FROM messages WHERE id = $1', [
          messageId,
        ]);
        if (row) await settleDeliveryEffect(tx, row.task_id);
      }
      return recorded;
    });
    if (outcome === 'other_message') {
      throw smtpError(550, '5.7.1 the returned headers name another message than this address');
    }
    if (outcome === 'unknown') throw smtpError(550, '5.1.1 no such message');
    log.info({ messageId, reason }, 'e-mail bounced after acceptance');
  }
}

export async function startBounceListener(db: HubDb, config: BounceConfig): Promise<BounceListener> {
  const server = new SMTPServer({
    // A relay from the center's own gateway: no sign-in, no TLS on this hop (loopback or the
    // center's network; see README).
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: config.maxBytes,
    closeTimeout: 500,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!messageIdOfBounceAddress(address.address, config.domain)) {
        return callback(smtpError(550, '5.1.1 only bounce addresses are taken here'));
      }
      callback();
    },
    onData(stream, session, callback) {
      const messageIds = session.envelope.rcptTo.map((r) =>
        messageIdOfBounceAddress(r.address, config.domain)!,
      );
      readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) throw smtpError(552, '5.3.4 the report is too large');
          await takeDsn(db, raw, messageIds);
          callback();
        })
        .catch((error: Error & { responseCode?: number }) => {
          if (error.responseCode) return callback(error);
          // The hub could not record it now: the gateway keeps it and tries again.
          log.error({ err: error, messageIds }, 'could not record a bounce');
          callback(smtpError(451, '4.3.0 the hub could not record this report now; try again'));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'bounce listener error'));
  const { port } = server.server.address() as AddressInfo;
  log.info({ host: config.host, port, domain: config.domain }, 'bounce listener ready');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
