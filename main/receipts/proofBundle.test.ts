// The evidence bundle of a proof as a real desk files it: the hub as a child process (PGlite, its
// demo seal), a desk on a SQLite file. The task is delivered on the hub, the desk renders and files
// the proof with its audit excerpt, the hub seals it; the bundle the hub then serves verifies
// offline with the center's root (audit excerpt included), and the hub's /verify agrees.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUNDLE_PATHS } from '../../common/proof/bundleFormat';
import { verifyBundle } from '../../common/proof/verifyBundle';
import { VerifyReportSchema } from '../../common/proof/verifyReport';
import type { LoginResponse } from '../../common/sync/hubApi';
import {
  deliveredTaskOnHub,
  hubApi,
  hubStore,
  startHubProcess,
  type HubProcess,
} from '../sync/testing/hubProcess';
import { openTestDesk, readDeskDb } from '../sync/testing/desks';

const DOCUMENT_SHA = '6f'.repeat(32);
let hub: HubProcess;
let hubDir: string;
let api: ReturnType<typeof hubApi>;
let lead: LoginResponse;
let zhang: LoginResponse;
let desk: ReturnType<typeof openTestDesk>;
let rootPem: string;

beforeAll(async () => {
  hubDir = await hubStore(null);
  hub = await startHubProcess(hubDir);
  rootPem = readFileSync(hub.sealRoot, 'utf8');
  api = hubApi(hub.url);
  [lead, zhang] = await Promise.all([api.login('demo.lead'), api.login('demo.zhang')]);
  desk = openTestDesk(hub.url);
  await desk.call('hubLogin', { username: 'demo.zhang', password: 'demo-desk-2026' });
}, 120_000);

afterAll(async () => {
  desk?.backend.close();
  await hub?.stop();
});

/** A task of 张's, delivered on the hub by another of their desks. */
const deliveredOnHub = (caseNumber: string) =>
  deliveredTaskOnHub(
    hub,
    { lead, member: zhang },
    {
      sourceTaskId: `BUNDLE-${Date.now()}`,
      caseNumber,
      document: { title: '民事判决书', kind: 'judgment', sha256: DOCUMENT_SHA },
    },
  );

function sealedProofId(hubId: string): string | null {
  const row = readDeskDb(
    desk,
    (db) =>
      db
        .prepare(
          `SELECT p.proof_id AS proofId FROM proofs p JOIN tasks t ON t.id = p.task_id WHERE t.hub_id = ? AND p.status = 'sealed'`,
        )
        .get(hubId) as { proofId: string } | undefined,
  );
  return row?.proofId ?? null;
}

describe('the evidence bundle of a desk-filed proof', () => {
  it('holds the desk’s audit excerpt and verifies offline with the center’s root; the hub agrees', async () => {
    const taskId = await deliveredOnHub('(2026)内0402民初0911号');
    let proofId: string | null = null;
    await vi.waitFor(
      async () => {
        await desk.backend.dispatch('syncNow', {});
        proofId = sealedProofId(taskId);
        expect(proofId).not.toBeNull();
      },
      { timeout: 30_000, interval: 200 },
    );
    const response = await fetch(`${hub.url}/proofs/${proofId}/bundle`, {
      headers: { authorization: `Bearer ${zhang.token}` },
    });
    expect(response.status).toBe(200);
    const zip = new Uint8Array(await response.arrayBuffer());
    const verdict = await verifyBundle(zip, { trustedRootsPem: [rootPem] });
    expect(verdict).toMatchObject({ ok: true, proofId, seal: { ok: true } });
    const excerpt = JSON.parse(Buffer.from(unzipSync(zip)[BUNDLE_PATHS.auditExcerpt]!).toString());
    expect(excerpt.entries.filter((e: { event?: object }) => e.event).length).toBeGreaterThan(0);
    expect(verdict.ok && excerpt.head.hash).toBe(verdict.ok && verdict.facts.audit.headHash);

    const report = VerifyReportSchema.parse(await (await fetch(`${hub.url}/verify/${proofId}`)).json());
    expect(report).toMatchObject({ verdict: 'valid', proofId, seal: { ok: true } });
  });
});
