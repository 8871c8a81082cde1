import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on 127.0.0.1 that keeps the mail it accepts (parsed), for tests and the demo.
// Recipients in `refuse` are rejected at RCPT TO with 550, as a receiving server bounces them.

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  readonly mail: ReceivedMail[];
  refuse(address: string): void;
  waitForMail(to: string): Promise<ReceivedMail>;
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
