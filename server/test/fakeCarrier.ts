import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { CarrierSendRequest, SMS_ACCESS_KEY_HEADER } from '../send/channels/sms';
import { renderTemplate } from '../send/templates';

// A stand-in for a cloud SMS carrier, speaking real HTTP on 127.0.0.1: it takes the template id and
// parameters, renders the registered template as a carrier does, keeps what it "sent" (so tests and
// the demo can open the links), and calls the hub back with delivery reports. Per number it can
// fail, answer late, or report the message undelivered.

export interface SentSms {
  bizId: string;
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  text: string;
  outId: string;
  at: Date;
}

export interface Behaviour {
  /** 'http': answers 503; 'code': answers a business error (e.g. a blocked number). */
  fail?: 'http' | 'code';
  /** Answers the send this much later. */
  delayMs?: number;
  /** The delivery report: delivered (default), undelivered, or none at all. */
  report?: 'delivered' | 'undelivered' | 'none';
  /** Calls the report back before answering the send (carriers' systems race like this). */
  reportFirst?: boolean;
  /** How long after answering the send the report is called back (default 10 ms). */
  reportDelayMs?: number;
}

export interface FakeCarrier {
  readonly url: string;
  readonly accessKey: string;
  readonly reportToken: string;
  readonly sent: SentSms[];
  /** Delivery reports the hub acknowledged (HTTP 200 with code 0), by biz id. */
  readonly acknowledged: string[];
  behave(phone: string, behaviour: Behaviour): void;
  reportTo(url: string): void;
  /** The next message sent to `phone` after `after` messages to it. */
  waitForSms(phone: string, count?: number): Promise<SentSms>;
  waitForAck(bizId: string): Promise<void>;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`fake carrier: timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** China time as these carriers write it: 2026-12-01 17:00:00. */
const carrierTime = (at: Date) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

export async function startFakeCarrier(
  onSent?: (sms: SentSms) => void,
  /** Called as soon as the hub acknowledges a report (the bench times the loop by it). */
  onAcknowledged?: (sms: SentSms) => void,
): Promise<FakeCarrier> {
  const accessKey = `ak-${randomUUID()}`;
  const reportToken = `rt-${randomUUID()}`;
  const sent: SentSms[] = [];
  const acknowledged: string[] = [];
  const behaviours = new Map<string, Behaviour>();
  let reportUrl: string | null = null;

  const report = async (sms: SentSms, delivered: boolean) => {
    if (!reportUrl) return;
    const response = await fetch(reportUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-report-token': reportToken },
      body: JSON.stringify([
        {
          phone_number: sms.phone,
          send_time: carrierTime(sms.at),
          report_time: carrierTime(new Date()),
          success: delivered,
          err_code: delivered ? 'DELIVERED' : 'MK:0001',
          err_msg: delivered ? '用户接收成功' : '用户手机关机或停机',
          sms_size: '1',
          biz_id: sms.bizId,
          out_id: sms.outId,
        },
      ]),
    }).catch(() => null);
    if (response?.ok && ((await response.json()) as { code?: number }).code === 0) {
      acknowledged.push(sms.bizId);
      onAcknowledged?.(sms);
    }
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || request.url !== '/sms/send') return answer(404, { Code: 'NotFound' });
      if (request.headers[SMS_ACCESS_KEY_HEADER] !== accessKey) {
        return answer(403, { Code: 'InvalidAccessKeyId.NotFound', Message: 'bad access key' });
      }
      let parsed;
      try {
        parsed = CarrierSendRequest.safeParse(JSON.parse(await readBody(request)));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) return answer(400, { Code: 'isv.INVALID_PARAMETERS', Message: 'bad request' });
      const input = parsed.data;
      const behaviour = behaviours.get(input.PhoneNumbers) ?? {};
      if (behaviour.delayMs) await sleep(behaviour.delayMs);
      if (behaviour.fail === 'http') return answer(503, { Code: 'ServiceUnavailable' });
      if (behaviour.fail === 'code') {
        return answer(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控' });
      }
      const params = JSON.parse(input.TemplateParam) as Record<string, string>;
      let text: string;
      try {
        text = renderTemplate(input.TemplateCode, params).text;
      } catch {
        return answer(200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: 'no such template' });
      }
      const sms: SentSms = {
        bizId: `${Date.now()}^${randomUUID().slice(0, 8)}`,
        phone: input.PhoneNumbers,
        signName: input.SignName,
        templateCode: input.TemplateCode,
        params,
        text,
        outId: input.OutId,
        at: new Date(),
      };
      sent.push(sms);
      onSent?.(sms);
      const outcome = behaviour.report ?? 'delivered';
      if (outcome !== 'none' && behaviour.reportFirst) await report(sms, outcome === 'delivered');
      answer(200, { Code: 'OK', Message: 'OK', BizId: sms.bizId, RequestId: randomUUID() });
      if (outcome !== 'none' && !behaviour.reportFirst) {
        setTimeout(() => void report(sms, outcome === 'delivered'), behaviour.reportDelayMs ?? 10);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessKey,
    reportToken,
    sent,
    acknowledged,
    behave: (phone, behaviour) => void behaviours.set(phone, behaviour),
    reportTo: (url) => {
      reportUrl = url;
    },
    waitForSms: (phone, count = 1) =>
      until(() => sent.filter((s) => s.phone === phone)[count - 1], `SMS #${count} to ${phone}`),
    waitForAck: async (bizId) => {
      await until(() => (acknowledged.includes(bizId) ? true : undefined), `the hub's ack of ${bizId}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A delayed answer may still hold its connection: the carrier stops now, not after it.
        server.closeAllConnections();
      }),
  };
}
