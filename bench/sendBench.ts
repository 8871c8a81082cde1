import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { validTaskInput } from '../common/intake/intakeFixtures';
import type { IntakeResponse } from '../common/sync/hubApi';
import type { SendRequest, SendResponse } from '../common/sync/send';
import { launchChromium } from '../e2e/support/chromium';
import { CarrierSendRequest, SMS_ACCESS_KEY_HEADER } from '../server/send/channels/sms';
import { buildHub } from '../server/app';
import * as accounts from '../server/store/accounts';
import { startFakeCarrier, type SentSms } from '../server/test/fakeCarrier';
import { startSmtpSink } from '../server/test/smtpSink';
import { createDatabase, startTestPostgres } from '../server/test/postgresServer';
import { listenOnRandomPort } from '../server/test/listenOnRandomPort';
import { samplePdf } from '../server/test/samplePdf';
import { percentile, round, timeMs } from './stats';

// `npm run bench -- send`: the hub on a real PostgreSQL server, listening on 127.0.0.1, sending
// through the fake carrier (server/test/fakeCarrier.ts, real HTTP) and a real SMTP server
// (server/test/smtpSink.ts), spoken to over real HTTP; the portal loaded in Chromium.
// See bench/RESULTS.md ("Send") for what each figure means.

const TASKS = 50;
const WARM_UP = 10;
const LOOP_SENDS = 100;
const THROUGHPUT_SENDS = 500; // × SMS and e-mail = 1,000 messages
const CONCURRENCY = 16;
const MOBILE_VIEWPORT = { width: 375, height: 667 };

/** Runs `work` over `items` with at most `limit` at a time. */
async function pooled<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Acknowledged delivery reports by our message id (the carrier's OutId), with their instant. */
function ackBoard() {
  const at = new Map<string, number>();
  const waiting = new Map<string, (ms: number) => void>();
  return {
    acknowledged(sms: SentSms) {
      const now = performance.now();
      at.set(sms.outId, now);
      waiting.get(sms.outId)?.(now);
    },
    when(outId: string): Promise<number> {
      const known = at.get(outId);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no acknowledged report for ${outId}`)), 30_000);
        waiting.set(outId, (ms) => {
          clearTimeout(timer);
          resolve(ms);
        });
      });
    },
  };
}

/** A bare delivery-report endpoint: answers the carrier's `code 0` and does nothing else. */
async function bareReportSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.on('data', () => undefined);
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"code":0,"msg":"成功"}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports` };
}

/** Bytes Chromium transferred (headers and bodies, as received: CDP's encodedDataLength) for the first load. */
async function portalFirstLoad(link: string) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: MOBILE_VIEWPORT, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const urls = new Map<string, string>();
    const byResource: Record<string, number> = {};
    let bytes = 0;
    cdp.on('Network.responseReceived', (event) =>
      urls.set(event.requestId, new URL(event.response.url).pathname),
    );
    cdp.on('Network.loadingFinished', (event) => {
      bytes += event.encodedDataLength;
      const path = urls.get(event.requestId) ?? '?';
      const name = path.startsWith('/p/') ? '/p/<token>' : path;
      byResource[name] = (byResource[name] ?? 0) + event.encodedDataLength;
    });
    await page.goto(link, { waitUntil: 'networkidle' });
    // The page is up: the court and its check code are shown (the open call answered).
    await page.locator('.code').first().waitFor({ timeout: 10_000 });
    return { bytes, requests: urls.size, byResource };
  } finally {
    await browser.close();
  }
}

export async function runSendBench() {
  const acks = ackBoard();
  const carrier = await startFakeCarrier(undefined, (sms) => acks.acknowledged(sms));
  const smtp = await startSmtpSink();
  const bare = await bareReportSink();
  const server = startTestPostgres();
  try {
    const dbUrl = await createDatabase(server.url, 'bench_send');
    const { app, url: hubUrl } = await listenOnRandomPort((hubUrl) =>
      buildHub({
        db: { kind: 'postgres', url: dbUrl },
        send: {
          publicUrl: hubUrl,
          portalRateLimit: { max: 100_000, windowMs: 60_000 },
          email: { host: smtp.host, port: smtp.port, requireTls: false, from: 'songda@court.example' },
          sms: {
            apiUrl: carrier.url,
            accessKey: carrier.accessKey,
            signName: '乌海市海南区人民法院',
            senderNumber: '106900012368',
            reportToken: carrier.reportToken,
          },
        },
      }),
    );
    const hubReports = `${hubUrl}/send/reports/sms`;
    carrier.reportTo(hubReports);
    const sql = new pg.Pool({ connectionString: dbUrl, max: 2 });
    try {
      // Set-up (not measured): a team, a specialist holding TASKS tasks with one PDF each, a key.
      const team = await accounts.createTeam(app.db, '送达一组');
      const specialist = await accounts.createUser(app.db, {
        username: 'bench.specialist',
        displayName: '李专员',
        role: 'specialist',
        teamId: team.id,
        password: 'bench-password-2026',
      });
      const { token } = await accounts.createSession(app.db, specialist.id, 600);
      const { key } = await accounts.issueApiKey(app.db, 'bench-cms', team.id);
      const pdfs = await Promise.all(Array.from({ length: TASKS }, (_, i) => samplePdf(`应诉通知书 ${i}`)));
      const tasks = pdfs.map((pdf, i) => {
        const base = validTaskInput();
        const phone = `139${String(10_000_000 + i).padStart(8, '0')}`;
        // The carrier calls the report back at once: the loop measures the hub, not a timer.
        carrier.behave(phone, { reportDelayMs: 0 });
        return {
          ...base,
          sourceTaskId: `BENCH-SEND-${i}`,
          party: { ...base.party, phones: [phone], email: `party${i}@example.test` },
          documents: [{ title: '应诉通知书', kind: 'notice', contentBase64: pdf.toString('base64') }],
        };
      });
      const intake = await fetch(`${hubUrl}/intake/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ tasks }),
      });
      const { taskIds } = (await intake.json()) as IntakeResponse;
      await sql.query(
        `WITH given AS (UPDATE tasks SET assignee_id = $1, status = 'assigned' WHERE id = ANY($2::uuid[]) RETURNING id)
         INSERT INTO task_holders (task_id, user_id) SELECT id, $1 FROM given`,
        [specialist.id, taskIds],
      );
      const rows = await sql.query<{ id: string; sha256: string }>(
        `SELECT id, intake->'documents'->0->>'sha256' AS sha256 FROM tasks WHERE id = ANY($1::uuid[])`,
        [taskIds],
      );
      const targets = taskIds.map((id, i) => ({
        taskId: id,
        sha256: rows.rows.find((r) => r.id === id)!.sha256,
        phone: tasks[i]!.party.phones[0]!,
        email: tasks[i]!.party.email,
      }));

      const send = async (target: (typeof targets)[number], channels: SendRequest['channels']) => {
        const response = await fetch(`${hubUrl}/send/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            sendId: uuidv7(),
            taskId: target.taskId,
            channels,
            documents: [target.sha256],
          } satisfies SendRequest),
        });
        if (!response.ok) throw new Error(`send: HTTP ${response.status} ${await response.text()}`);
        return (await response.json()) as SendResponse;
      };
      const sms = (t: (typeof targets)[number]) => [{ channel: 'sms' as const, address: t.phone }];

      // loopMs: POST /send/messages → carrier → delivery report → status delivered (the hub's
      // acknowledgement of the report, sent once it is committed), one send at a time; alternated
      // with the baseline: the same SMS posted straight to the carrier, its report to a bare endpoint.
      for (let i = 0; i < WARM_UP; i += 1) {
        const answer = await send(targets[i % TASKS]!, sms(targets[i % TASKS]!));
        await acks.when(answer.messages[0]!.id);
      }
      const [template] = (
        await sql.query<{ template_id: string; template_params: Record<string, string> }>(
          'SELECT template_id, template_params FROM messages LIMIT 1',
        )
      ).rows;
      /** The baseline's SMS: the one the hub sends, posted straight to the carrier. */
      const bareSms = (target: (typeof targets)[number], outId: string) =>
        fetch(`${carrier.url}/sms/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SMS_ACCESS_KEY_HEADER]: carrier.accessKey },
          body: JSON.stringify({
            PhoneNumbers: target.phone,
            SignName: '乌海市海南区人民法院',
            TemplateCode: template!.template_id,
            TemplateParam: JSON.stringify(template!.template_params),
            OutId: outId,
          } satisfies CarrierSendRequest),
        });
      const loop: number[] = [];
      const bareLoop: number[] = [];
      const loopMessages: string[] = [];
      for (let i = 0; i < LOOP_SENDS; i += 1) {
        const target = targets[i % TASKS]!;
        const start = performance.now();
        const answer = await send(target, sms(target));
        const messageId = answer.messages[0]!.id;
        loop.push((await acks.when(messageId)) - start);
        loopMessages.push(messageId);

        carrier.reportTo(bare.url);
        const outId = uuidv7();
        const bareStart = performance.now();
        const posted = await bareSms(target, outId);
        if (!posted.ok) throw new Error(`carrier: HTTP ${posted.status}`);
        await posted.text();
        bareLoop.push((await acks.when(outId)) - bareStart);
        carrier.reportTo(hubReports);
      }
      const delivered = await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM messages WHERE id = ANY($1::uuid[]) AND status = 'delivered'`,
        [loopMessages],
      );
      if (Number(delivered.rows[0]!.n) !== LOOP_SENDS)
        throw new Error(`loop: ${delivered.rows[0]!.n} delivered`);

      // sendPerSec: 500 sends of SMS + e-mail (1,000 messages) from 16 senders at once, until each
      // send is answered (every message handed to the carrier or accepted by the mail server).
      const throughputTargets = Array.from({ length: THROUGHPUT_SENDS }, (_, i) => targets[i % TASKS]!);
      const smsIds: string[] = [];
      let notHandedOver = 0;
      const mailBefore = smtp.mail.length;
      const throughput = await timeMs(() =>
        pooled(throughputTargets, CONCURRENCY, async (target) => {
          const answer = await send(target, [...sms(target), { channel: 'email', address: target.email! }]);
          for (const m of answer.messages) {
            if (!['sent', 'delivered'].includes(m.status)) notHandedOver += 1;
            if (m.channel === 'sms') smsIds.push(m.id);
          }
        }),
      );
      const throughputStart = performance.now() - throughput.ms;
      const lastReport = Math.max(...(await Promise.all(smsIds.map((id) => acks.when(id)))));
      const mailReceived = smtp.mail.length - mailBefore;

      // Baseline: the same 1,000 messages straight to the carrier and the SMTP server, 16 at once.
      carrier.reportTo(bare.url);
      const mailer = nodemailer.createTransport({ host: smtp.host, port: smtp.port, ignoreTLS: true });
      const mail = smtp.mail.at(-1)!;
      const bareThroughput = await timeMs(() =>
        pooled(throughputTargets, CONCURRENCY, async (target) => {
          const posted = await bareSms(target, uuidv7());
          await posted.text();
          await mailer.sendMail({
            from: 'songda@court.example',
            to: target.email!,
            subject: mail.subject,
            text: mail.text,
          });
        }),
      );
      mailer.close();
      carrier.reportTo(hubReports);

      // portalKB: the first load of a link's page in Chromium, mobile viewport, no cache.
      const hubSms = carrier.sent.findLast((s) => s.outId === smsIds.at(-1))!;
      const link = /https?:\/\/\S+\/p\/[A-Za-z0-9_-]+/.exec(hubSms.text)![0];
      const portal = await portalFirstLoad(link);

      const messages = THROUGHPUT_SENDS * 2;
      const sendPerSec = messages / (throughput.ms / 1000);
      const baselinePerSec = messages / (bareThroughput.ms / 1000);
      const loopMs = percentile(loop, 50);
      const bareLoopMs = percentile(bareLoop, 50);
      return {
        postgres: (await sql.query<{ server_version: string }>('SHOW server_version')).rows[0]!
          .server_version,
        portalKB: round(portal.bytes / 1024, 1),
        portalRequests: portal.requests,
        portalBytesByResource: portal.byResource,
        loopSends: LOOP_SENDS,
        loopMs: round(loopMs),
        loopP95Ms: round(percentile(loop, 95)),
        baselineLoopMs: round(bareLoopMs),
        loopRatio: round(loopMs / bareLoopMs, 2),
        sendMessages: messages,
        concurrency: CONCURRENCY,
        sendMs: round(throughput.ms),
        sendPerSec: Math.round(sendPerSec),
        allReportedMs: round(lastReport - throughputStart),
        notHandedOver,
        mailReceived,
        baselineMs: round(bareThroughput.ms),
        baselinePerSec: Math.round(baselinePerSec),
        sendRatio: round(sendPerSec / baselinePerSec, 3),
      };
    } finally {
      await sql.end();
      await app.close();
    }
  } finally {
    await carrier.close();
    await smtp.close();
    bare.server.close();
    server.stop();
  }
}
