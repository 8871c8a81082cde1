import nodemailer from 'nodemailer';
import type { SendConfig } from '../../config';
import { bounceAddress } from '../bounces';
import type { ChannelOutcome, OutgoingMessage, SendingChannel } from './channel';

type EmailConfig = NonNullable<SendConfig['email']>;

const reasonOf = (error: unknown): string => {
  const e = error as { response?: string; code?: string; message?: string };
  return (e.response ?? e.message ?? e.code ?? 'the mail server refused the message').slice(0, 500);
};

/**
 * E-mail through SMTP (nodemailer). The receiving server's acceptance (250 after DATA) is the
 * message's arrival; a refused recipient or message is a failure with the server's answer. With
 * bounces set up, the envelope sender names the message (VERP), so a later DSN finds it.
 */
export function emailChannel(config: EmailConfig): SendingChannel {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.requireTls,
    ignoreTLS: !config.secure && !config.requireTls,
    ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
  });
  return {
    kind: 'email',
    sender: config.from,
    async send(message: OutgoingMessage): Promise<ChannelOutcome> {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          headers: { 'X-Delivery-Message-Id': message.id },
          ...(config.bounces
            ? { envelope: { from: bounceAddress(config.bounces.domain, message.id), to: message.to } }
            : {}),
        });
        if (info.accepted.length === 0) {
          return { status: 'failed', reason: reasonOf({ response: info.response }) };
        }
        return { status: 'delivered', providerRef: info.messageId, detail: info.response };
      } catch (error) {
        return { status: 'failed', reason: reasonOf(error) };
      }
    },
    async close() {
      transport.close();
    },
  };
}
