// The case system's side: its task's result and sealed proof by its own task id and API key, and
// the signed callbacks on delivered and on proof sealed, received by a real HTTP server on
// 127.0.0.1 that fails the first one (it is retried with backoff; every try is recorded).
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifySealedPdf } from '../../common/proof/pdfSeal';
import { CallbackBody, CaseResult } from '../../common/sync/caseResult';
import { runAdminCommand } from '../cli/adminCommands';
import { backend, newClientId, push, useSeededHub } from '../test/hubFixture';
import { createDemoSeal } from './demoSeal';
import { DOC_SHA, deliveredTask, proofFacts, proofOp, upload } from './testing/proofFixture';
import { samplePdf } from './testing/samplePdf';

const dir = mkdtempSync(join(tmpdir(), 'case-results-'));
const received: { headers: IncomingHttpHeaders; body: string; answered: number }[] = [];
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  await createDemoSeal(dir);
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      // The first callback fails: the hub must try it again.
      const answered = received.length === 0 ? 500 : 204;
      received.push({ headers: request.headers, body, answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/delivery-callback`;
});
afterAll(async () => {
  await new Promise((ok) => receiver.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

const hub = useSeededHub({
  seal: { kind: 'demo', dir },
  // Sent when the test asks (sendCallbacks), retried after 20 ms, 40 ms, …
  callbacks: { pollMs: 3_600_000, baseDelayMs: 20, maxDelayMs: 1_000, maxAttempts: 5, timeoutMs: 5_000 },
});

describe(`the case system's result API and callbacks (${backend})`, () => {
  let secret: string;
  const sourceTaskId = `CASE-${Date.now()}`;
  const result = (key: string, path = '') =>
    hub.app.inject({
      method: 'GET',
      url: `/intake/tasks/${encodeURIComponent(sourceTaskId)}/result${path}`,
      headers: { 'x-api-key': key },
    });

  beforeAll(async () => {
    const { app, world } = hub;
    const [key] = await app.db.query<{ id: string }>(
      `SELECT id FROM api_keys WHERE source_system = 'case-system-a'`,
    );
    const set = (await runAdminCommand(app.db, ['set-callback', key!.id, '--url', receiverUrl])) as {
      secret: string;
    };
    secret = set.secret;
    const taskId = await deliveredTask(app, world.specA1, world.keyA, world.leadA, sourceTaskId);
    const pdf = await samplePdf();
    await upload(app, world.specA1, pdf);
    await push(app, world.specA1, newClientId(), [proofOp(taskId, pdf, proofFacts('DD-CASE-0001', DOC_SHA))]);
    await app.sealProofs();
  });

  it('answers status, effect, the sealed proof and the bundle link for the case system’s own task id', async () => {
    const response = await result(hub.world.keyA);
    expect(response.statusCode).toBe(200);
    const body = CaseResult.parse(response.json());
    expect(body).toMatchObject({
      sourceSystem: 'case-system-a',
      sourceTaskId,
      status: 'proof_issued',
      effect: { effective: true },
      proof: {
        proofId: 'DD-CASE-0001',
        status: 'sealed',
        pdfUrl: `/intake/tasks/${sourceTaskId}/result/proof.pdf`,
        bundleUrl: '/proofs/DD-CASE-0001/bundle',
      },
    });
    expect(body.effect?.serviceDate).toBeTruthy();

    const pdf = await result(hub.world.keyA, '/proof.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const verdict = await verifySealedPdf(new Uint8Array(pdf.rawPayload), [
      readFileSync(join(dir, 'seal-root.pem'), 'utf8'),
    ]);
    expect(verdict.ok && verdict.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('knows no task of another case system, and no caller without a key', async () => {
    expect((await result(hub.world.keyB)).statusCode).toBe(404);
    expect((await result('dk_not-a-key')).statusCode).toBe(401);
  });

  it('posts signed callbacks on delivered and on proof sealed, retrying the one that failed', async () => {
    await vi.waitFor(
      async () => {
        await hub.app.sendCallbacks();
        expect(received.filter((r) => r.answered === 204)).toHaveLength(2);
      },
      { timeout: 10_000, interval: 50 },
    );
    for (const call of received) {
      const timestamp = String(call.headers['x-delivery-desk-timestamp']);
      const expected = createHmac('sha256', secret).update(`${timestamp}.${call.body}`).digest('hex');
      expect(call.headers['x-delivery-desk-signature']).toBe(`sha256=${expected}`);
      const body = CallbackBody.parse(JSON.parse(call.body));
      expect(body.event).toBe(call.headers['x-delivery-desk-event']);
      expect(body.result.sourceTaskId).toBe(sourceTaskId);
    }
    expect(received.map((r) => r.headers['x-delivery-desk-event']).sort()).toEqual([
      'delivered',
      'delivered',
      'proof_sealed',
    ]);
    const rows = await hub.app.db.query<{
      event: string;
      status: string;
      attempts: number;
      last_status: number;
    }>(`SELECT event, status, attempts, last_status FROM callback_deliveries ORDER BY event`);
    expect(rows).toEqual([
      { event: 'delivered', status: 'delivered', attempts: 2, last_status: 204 },
      { event: 'proof_sealed', status: 'delivered', attempts: 1, last_status: 204 },
    ]);
  });
});
