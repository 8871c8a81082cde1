// A proof of service through the hub: the desk pushes its `proof` fact and uploads the PDF (in
// either order), the hub checks the facts against its records, seals, files the sealed PDF with
// the task and moves it to proof_issued; the snapshot's `proof` brings the sealed PDF's hash back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySealedPdf } from '../../common/proof/pdfSeal';
import { sha256Of } from '../store/blobs';
import { assignedTasks, backend, bearer, newClientId, push, useSeededHub } from '../test/hubFixture';
import { createDemoSeal } from './demoSeal';
import { DOC_SHA, deliveredTask, proofFacts, proofOp, snapshot, upload } from './testing/proofFixture';
import { samplePdf } from './testing/samplePdf';

const dir = mkdtempSync(join(tmpdir(), 'proof-filing-'));

beforeAll(async () => {
  await createDemoSeal(dir, { centerName: '赤峰市集约送达中心' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hub = useSeededHub({ seal: { kind: 'demo', dir } });
const unsealedHub = useSeededHub();

describe(`filing a proof of service (${backend})`, () => {
  it('is pending until its PDF arrives, then sealed, filed and the task proof_issued', async () => {
    const { app, world } = hub;
    const taskId = await deliveredTask(app, world.specA1, world.keyA, world.leadA);
    const pdf = await samplePdf();
    const pushed = await push(app, world.specA1, newClientId(), [
      proofOp(taskId, pdf, proofFacts('DD-TEST-0001', DOC_SHA)),
    ]);
    expect(pushed.body.results[0]).toMatchObject({ status: 'applied' });
    await app.sealProofs();
    expect((await snapshot(app, world.specA1, taskId)).proof).toMatchObject({
      proofId: 'DD-TEST-0001',
      unsealedSha256: sha256Of(pdf),
      sealedSha256: null,
      status: 'pending',
    });

    await upload(app, world.specA1, pdf);
    await app.sealProofs();
    const task = await snapshot(app, world.specA1, taskId);
    expect(task.status).toBe('proof_issued');
    expect(task.proof).toMatchObject({ status: 'sealed', reason: null });
    expect(task.facts.map((f) => f.kind)).toContain('proof');

    const sealedResponse = await app.inject({
      method: 'GET',
      url: `/blobs/${task.proof!.sealedSha256}`,
      headers: bearer(world.specA1),
    });
    expect(sealedResponse.statusCode).toBe(200);
    const sealed = new Uint8Array(sealedResponse.rawPayload);
    expect(sha256Of(sealed)).toBe(task.proof!.sealedSha256);
    expect(Buffer.from(sealed.subarray(0, pdf.length - 1)).equals(Buffer.from(pdf.subarray(0, -1)))).toBe(
      true,
    );
    const verdict = await verifySealedPdf(sealed, [readFileSync(join(dir, 'seal-root.pem'), 'utf8')]);
    expect(verdict).toMatchObject({ ok: true, signer: '赤峰市集约送达中心 电子印章' });
    expect(verdict.ok && new Date(verdict.signedAt).toISOString()).toBe(
      new Date(Math.floor(Date.parse(task.proof!.sealedAt!) / 1000) * 1000).toISOString(),
    );
    const log = await app.db.query<{ action: string }>(
      `SELECT action FROM hub_audit WHERE task_id = $1 AND action LIKE 'proof.%' ORDER BY id`,
      [taskId],
    );
    expect(log.map((l) => l.action)).toEqual(['proof.filed', 'proof.sealed']);
  });

  it('refuses a proof whose facts contradict the hub’s records, and never seals it', async () => {
    const { app, world } = hub;
    const taskId = await deliveredTask(app, world.specA1, world.keyA, world.leadA);
    const pdf = await samplePdf('another proof');
    await upload(app, world.specA1, pdf);
    await push(app, world.specA1, newClientId(), [
      proofOp(taskId, pdf, proofFacts('DD-TEST-0002', 'cd'.repeat(32))),
    ]);
    await app.sealProofs();
    const task = await snapshot(app, world.specA1, taskId);
    expect(task.status).toBe('delivered');
    expect(task.proof).toMatchObject({ status: 'refused', sealedSha256: null });
    expect(task.proof!.reason).toMatch(/document “起诉状副本”: SHA-256 cdcd.* is not the task’s/);
  });

  it('refuses a PDF the signer cannot read, and seals the next proof all the same', async () => {
    const { app, world } = hub;
    const broken = await deliveredTask(app, world.specA1, world.keyA, world.leadA);
    const good = await deliveredTask(app, world.specA1, world.keyA, world.leadA);
    const junk = new TextEncoder().encode('%PDF-1.7\nnot really a PDF\n%%EOF\n');
    const pdf = await samplePdf('the next one');
    await upload(app, world.specA1, junk);
    await upload(app, world.specA1, pdf);
    await push(app, world.specA1, newClientId(), [
      proofOp(broken, junk, proofFacts('DD-TEST-0004', DOC_SHA)),
      { ...proofOp(good, pdf, proofFacts('DD-TEST-0005', DOC_SHA)), mutationId: 2 },
    ]);
    await app.sealProofs();
    expect((await snapshot(app, world.specA1, broken)).proof).toMatchObject({ status: 'refused' });
    expect((await snapshot(app, world.specA1, broken)).proof!.reason).toMatch(/could not be sealed/);
    expect((await snapshot(app, world.specA1, good)).proof).toMatchObject({ status: 'sealed' });
  });

  it('rejects the same proof id filed again with other content', async () => {
    const { app, world } = hub;
    const [taskId] = await assignedTasks(world, world.specA1);
    const pdf = await samplePdf('third');
    const { body } = await push(app, world.specA1, newClientId(), [
      proofOp(taskId!, pdf, proofFacts('DD-TEST-0001', DOC_SHA)),
    ]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', code: 'conflict' });
  });
});

describe(`a hub without a seal (${backend})`, () => {
  it('keeps the proof pending, unsealed, and says why', async () => {
    const { app, world } = unsealedHub;
    const taskId = await deliveredTask(app, world.specA1, world.keyA, world.leadA);
    const pdf = await samplePdf();
    await upload(app, world.specA1, pdf);
    await push(app, world.specA1, newClientId(), [proofOp(taskId, pdf, proofFacts('DD-TEST-0003', DOC_SHA))]);
    await app.sealProofs();
    const task = await snapshot(app, world.specA1, taskId);
    expect(task.status).toBe('delivered');
    expect(task.proof).toMatchObject({ status: 'pending', sealedSha256: null });
    expect(task.proof!.reason).toMatch(/no seal certificate configured/);
  });
});
