import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on 127.0.0.1 that keeps the mail it accepts (parsed), for tests and the demo.
// Recipients in `refuse` are rejected at RCPT TO with 550, as a receiving server bounces them.
// `bounce()` sends a mail back later as a delivery status notification (RFC 3464) to its envelope
// sender, as a server that accepted it and then could not deliver it does.

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string | null;
  headers: Map<string, unknown>;
}

export interface BounceOptions {
  /** The SMTP server the envelope sender's domain routes to (the hub's bounce listener). */
  relay: { host: string; port: number };
  status?: string;
  diagnostic?: string;
  action?: 'failed' | 'delayed';
  /** When the reporting server took the message in (the same for a report relayed again). */
  arrivedAt?: Date;
}

/** A DSN for `mail` as Postfix writes one: a human part, the delivery status, the returned headers. */
export function dsnFor(mail: ReceivedMail, options: Omit<BounceOptions, 'relay'> = {}): string {
  const boundary = `dsn-${Math.random().toString(36).slice(2)}`;
  const arrivedAt = (options.arrivedAt ?? new Date()).toUTCString();
  const recipient = mail.to[0] ?? '';
  const status = options.status ?? '5.1.1';
  const diagnostic =
    options.diagnostic ?? `smtp; 550 5.1.1 <${recipient}>: Recipient address rejected: User unknown`;
  return [
    'From: MAILER-DAEMON@mx.sink.test (Mail Delivery System)',
    `To: ${mail.from}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your message could not be delivered to one or more recipients.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.sink.test',
    `Arrival-Date: ${arrivedAt}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822; ${recipient}`,
    `Action: ${options.action ?? 'failed'}`,
    `Status: ${status}`,
    'Remote-MTA: dns; mailbox.sink.test',
    `Diagnostic-Code: ${diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    ...(mail.messageId ? [`Message-ID: ${mail.messageId}`] : []),
    `To: ${recipient}`,
    `Subject: ${mail.subject}`,
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  readonly mail: ReceivedMail[];
  refuse(address: string): void;
  waitForMail(to: string): Promise<ReceivedMail>;
  /** Sends a DSN for `mail` back to its envelope sender through `relay`; answers the relay's reply. */
  bounce(mail: ReceivedMail, options: BounceOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startSmtpSink(onMail?: (mail: ReceivedMail) => void): Promise<SmtpSink> {
  const mail: ReceivedMail[] = [];
  const refused = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    // A test's close must not wait the default 30 s for a client that keeps its connection.
    closeTimeout: 500,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        const error = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const received: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            messageId: parsed.messageId ?? null,
            headers: parsed.headers,
          };
          mail.push(received);
          onMail?.(received);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mail,
    refuse: (address) => void refused.add(address.toLowerCase()),
    async waitForMail(to) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const found = mail.find((m) => m.to.includes(to));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async bounce(received, { relay, ...options }) {
      const transport = nodemailer.createTransport({ host: relay.host, port: relay.port, ignoreTLS: true });
      try {
        // The null reverse-path: a DSN is never bounced itself (RFC 3464 §2).
        const info = await transport.sendMail({
          envelope: { from: '', to: received.from },
          raw: dsnFor(received, options),
        });
        return info.response;
      } finally {
        transport.close();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
