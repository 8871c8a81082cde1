import { createHash, randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { SendResponse } from '../../common/sync/send';
import type { HubConfigInput } from '../config';
import { startFakeCarrier, type FakeCarrier } from './fakeCarrier';
import {
  bearer,
  freshDbTarget,
  intake,
  intakeTask,
  seedWorld,
  startHub,
  type Member,
  type World,
} from './hubFixture';
import { listenOnRandomPort } from './listenOnRandomPort';
import { samplePdf } from './samplePdf';
import { startSmtpSink, type SmtpSink } from './smtpSink';

// Kept importable from here, where the suites have always taken it.
export { samplePdf } from './samplePdf';

// A hub that sends: listening on 127.0.0.1 (the carrier calls its reports back), with the fake
// carrier and a real SMTP server. Started once per test file.

export interface SendWorld extends World {
  url: string;
  carrier: FakeCarrier;
  smtp: SmtpSink;
  close(): Promise<void>;
}

export const SENDER_NUMBER = '106900012368';
export const SENDER_MAILBOX = 'songda@court.example';
export const HOTLINE = '0473-12368';
export const BOUNCE_DOMAIN = 'hub.court.example';

export async function startSendWorld(
  send: Partial<NonNullable<HubConfigInput['send']>> = {},
  smsTimeoutMs = 15_000,
  /** The rest of the hub's configuration (a seal, evidence settings). */
  hubConfig: Partial<HubConfigInput> = {},
): Promise<SendWorld> {
  const carrier = await startFakeCarrier();
  const smtp = await startSmtpSink();
  const db = await freshDbTarget();
  const { app, url } = await listenOnRandomPort((url) =>
    startHub(db, {
      ...hubConfig,
      send: {
        publicUrl: url,
        courtHotlines: { 乌海市海南区人民法院: HOTLINE },
        portalRateLimit: { max: 1000, windowMs: 60_000 },
        email: {
          host: smtp.host,
          port: smtp.port,
          requireTls: false,
          from: SENDER_MAILBOX,
          bounces: { domain: BOUNCE_DOMAIN, port: 0 },
        },
        sms: {
          apiUrl: carrier.url,
          accessKey: carrier.accessKey,
          signName: '乌海市海南区人民法院',
          senderNumber: SENDER_NUMBER,
          reportToken: carrier.reportToken,
          timeoutMs: smsTimeoutMs,
        },
        ...send,
      },
    }),
  );
  carrier.reportTo(`${url}/send/reports/sms`);
  const world = await seedWorld(app);
  return {
    ...world,
    url,
    carrier,
    smtp,
    async close() {
      // Peers first, cutting what they still hold (a delayed carrier answer, a report in flight),
      // so the hub's own close has no request left to wait for.
      await carrier.close();
      await smtp.close();
      app.server.closeAllConnections();
      // Bounded: on a loaded machine the hub's close was seen to outlast the hook's 60 s (twice in
      // full runs, never alone); the suite's assertions are done by now, so it must not fail on it.
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, 15_000)));
      await Promise.race([app.close(), bound]);
      clearTimeout(timer);
    },
  };
}

export interface SentTask {
  taskId: string;
  documents: { title: string; sha256: string; bytes: Buffer }[];
}

/** A fresh mobile number per task, so per-number carrier behaviour stays with its test. */
export const nextMobile = () => `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** A task in team A assigned to `to`, with two PDF documents on the hub. */
export async function taskWithDocuments(
  world: SendWorld,
  to: Member,
  party: { phone?: string; email?: string; idNumber?: string } = {},
  documents: { title: string; kind: string }[] = [
    { title: '民事判决书', kind: 'judgment' },
    { title: '起诉状副本', kind: 'complaint' },
  ],
): Promise<SentTask> {
  const files = await Promise.all(documents.map((d) => samplePdf(`${d.kind} ${uuidv7()}`)));
  const base = intakeTask();
  const { taskIds } = await intake(world.app, world.keyA, [
    {
      ...base,
      party: {
        ...base.party,
        phones: [party.phone ?? nextMobile()],
        email: party.email ?? null,
        ...(party.idNumber === undefined ? {} : { idNumber: party.idNumber }),
      },
      documents: documents.map((d, i) => ({ ...d, contentBase64: files[i]!.toString('base64') })),
    },
  ]);
  const taskId = taskIds[0]!;
  const assigned = await world.app.inject({
    method: 'POST',
    url: '/lead/reassign',
    headers: bearer(world.leadA),
    payload: { taskIds: [taskId], assigneeId: to.user.id, reason: 'test set-up' },
  });
  if (assigned.statusCode !== 200) throw new Error(`assign: ${assigned.body}`);
  return {
    taskId,
    documents: documents.map((d, i) => ({
      title: d.title,
      sha256: createHash('sha256').update(files[i]!).digest('hex'),
      bytes: files[i]!,
    })),
  };
}

export async function sendOn(
  world: SendWorld,
  member: Member,
  body: {
    sendId?: string;
    taskId: string;
    channels: { channel: 'sms' | 'email'; address: string }[];
    documents: string[];
  },
): Promise<{ status: number; body: SendResponse & { error?: { code: string } } }> {
  const response = await world.app.inject({
    method: 'POST',
    url: '/send/messages',
    headers: bearer(member),
    payload: { sendId: body.sendId ?? uuidv7(), ...body },
  });
  return { status: response.statusCode, body: response.json() };
}

/** A new task of spec.a1's with documents, sent by SMS to `phone`: all its documents, or the first. */
export async function taskSentBySms(world: SendWorld, phone: string, documents: 'all' | 'first' = 'all') {
  const task = await taskWithDocuments(world, world.specA1, { phone });
  const sent = await sendOn(world, world.specA1, {
    taskId: task.taskId,
    channels: [{ channel: 'sms', address: phone }],
    documents: documents === 'all' ? task.documents.map((d) => d.sha256) : [task.documents[0]!.sha256],
  });
  return { task, sent };
}

/** The SMS the carrier delivered to `phone`, once the hub has acknowledged its delivery report. */
export async function ackedSms(world: SendWorld, phone: string) {
  const sms = await world.carrier.waitForSms(phone);
  await world.carrier.waitForAck(sms.bizId);
  return sms;
}

/** The link's token from a text carrying it. */
export const tokenIn = (text: string): string => {
  const match = /\/p\/([A-Za-z0-9_-]{32,100})/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[1]!;
};
