import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../common/proof/verifyBundle';
import type { ProofFacts } from '../../common/proof/proofFacts';
import type { VerifyReport } from '../../common/proof/verifyReport';
import { backend, bearer, useSeededHub } from '../test/hubFixture';
import {
  deliveredTask,
  deskAuditExcerpt,
  fileProofOnHub,
  proofFactsOf,
  standInProofPdf,
  type DeliveredTask,
} from '../test/proofFixture';
import { startSendWorld, type SendWorld } from '../test/sendFixture';
import { createDemoSeal } from '../seal/demoSeal';

// The evidence bundle and the public verification over the hub's HTTP API, on a proof filed and
// sealed by the hub as a desk files it (the proof fact with its audit excerpt).

const dir = mkdtempSync(join(tmpdir(), 'proof-routes-'));

describe(`hub: evidence bundle and verification routes (${backend})`, () => {
  let world: SendWorld;
  let delivered: DeliveredTask;
  let facts: ProofFacts;
  let unsealed: Uint8Array;
  let sealed: Buffer;
  let roots: string[];

  beforeAll(async () => {
    const demo = await createDemoSeal(join(dir, 'seal'));
    roots = [readFileSync(demo.root, 'utf8')];
    world = await startSendWorld({}, 15_000, {
      seal: { kind: 'demo', dir: demo.dir },
      evidence: { verifyRateLimit: { max: 1000, windowMs: 60_000 } },
    });
    delivered = await deliveredTask(world);
    const excerpt = deskAuditExcerpt();
    facts = await proofFactsOf(world, delivered, excerpt);
    unsealed = await standInProofPdf(facts);
    await fileProofOnHub(world, delivered, facts, unsealed, excerpt);
    const [row] = await world.app.db.query<{ data: Uint8Array }>(
      'SELECT b.data FROM proofs p JOIN blobs b ON b.sha256 = p.sealed_sha256 WHERE p.id = $1',
      [facts.proofId],
    );
    sealed = Buffer.from(row!.data);
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const getBundle = (headers: Record<string, string> = {}) =>
    world.app.inject({ method: 'GET', url: `/proofs/${facts.proofId}/bundle`, headers });

  it('gives the bundle of a sealed proof to the task’s specialist, lead, admin and case system', async () => {
    const response = await getBundle(bearer(world.specA1));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toContain(`evidence-${facts.proofId}.zip`);
    const verdict = await verifyBundle(response.rawPayload, { trustedRootsPem: roots });
    expect(verdict).toMatchObject({ ok: true, proofId: facts.proofId, seal: { ok: true } });
    for (const headers of [bearer(world.leadA), bearer(world.admin), { 'x-api-key': world.keyA }]) {
      const other = await getBundle(headers);
      expect(other.statusCode).toBe(200);
      expect(other.rawPayload.equals(response.rawPayload)).toBe(true);
    }
  });

  it('refuses everyone else alike, and an unknown proof', async () => {
    for (const headers of [
      bearer(world.specA2),
      bearer(world.leadB),
      bearer(world.specB),
      { 'x-api-key': world.keyB },
    ]) {
      const response = await getBundle(headers);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect((await getBundle()).statusCode).toBe(401);
    const unknown = await world.app.inject({
      method: 'GET',
      url: '/proofs/DD-0000-unknown/bundle',
      headers: bearer(world.admin),
    });
    expect(unknown.statusCode).toBe(404);
  });

  const byId = async (proofId: string) => {
    const response = await world.app.inject({ method: 'GET', url: `/verify/${proofId}` });
    expect(response.statusCode).toBe(200);
    return { response, report: response.json<VerifyReport>() };
  };
  const byPdf = async (pdf: Uint8Array) => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/verify',
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.from(pdf),
    });
    expect(response.statusCode).toBe(200);
    return response.json<VerifyReport>();
  };

  it('verifies by id, no login: sealed, every fact as recorded, the service date; personal data masked', async () => {
    const { response, report } = await byId(facts.proofId);
    expect(report).toMatchObject({
      proofId: facts.proofId,
      verdict: 'valid',
      seal: { ok: true },
      court: facts.court.name,
      rule: 'arrival_on_consent',
      serviceDate: expect.any(String),
    });
    expect(report.facts.map((f) => [f.check, f.matches])).toEqual([
      ['filed', true],
      ['documents', true],
      ['consent_recording', true],
      ['address_confirmation', true],
      ['messages', true],
      ['arrival', true],
      ['portal_events', true],
      ['effect', true],
    ]);
    expect(response.body).not.toContain(delivered.phone);
    expect(response.body).not.toContain(facts.case.number);
    expect(response.body).toContain(`${delivered.phone.slice(0, 3)}****${delivered.phone.slice(-4)}`);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await byId('DD-0000-unknown')).report).toMatchObject({ verdict: 'unknown', reason: 'not_filed' });
  });

  it('opens the page for a browser following the QR code, with a strict CSP', async () => {
    for (const url of ['/verify', `/verify/${facts.proofId}`]) {
      const page = await world.app.inject({ method: 'GET', url, headers: { accept: 'text/html,*/*' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('送达凭证核验');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const script = await world.app.inject({ method: 'GET', url: '/verify/assets/verify.js' });
    expect(script.statusCode).toBe(200);
  });

  it('verifies the sealed PDF someone holds, and refuses a changed, an appended, an unsealed one', async () => {
    const report = await byPdf(sealed);
    expect(report).toMatchObject({ verdict: 'valid', proofId: facts.proofId });
    expect(report.facts.find((f) => f.check === 'same_pdf')).toMatchObject({ matches: true });

    const changed = Buffer.from(sealed);
    const at = changed.indexOf('/Producer');
    changed[at + 3] = changed[at + 3]! ^ 0x01;
    expect(await byPdf(changed)).toMatchObject({ verdict: 'invalid', reason: 'altered' });
    expect(await byPdf(Buffer.concat([sealed, Buffer.from('\n%%EOF\n')]))).toMatchObject({
      verdict: 'invalid',
      reason: 'appended',
    });
    expect(await byPdf(unsealed)).toMatchObject({ verdict: 'invalid', reason: 'not_sealed' });
    expect(await byPdf(Buffer.from('%PDF-1.7\nnot a proof'))).toMatchObject({ verdict: 'unknown' });
  });
});

describe(`hub: public verification is rate limited per address (${backend})`, () => {
  const hub = useSeededHub({ evidence: { verifyRateLimit: { max: 3, windowMs: 60_000 } } });

  it('answers 429 past the limit, to that address only', async () => {
    const ask = (remoteAddress: string) =>
      hub.app.inject({ method: 'GET', url: '/verify/DD-0000-limited', remoteAddress });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask('198.51.100.1')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await ask('198.51.100.1')).json().error.code).toBe('rate_limited');
    expect((await ask('198.51.100.2')).statusCode).toBe(200);
  });
});
