// The proof of service end to end: the real hub (child process, PGlite, its demo seal), a desk on
// a SQLite file behind a fault proxy. A task delivered on the hub gets its 送达回证 rendered on the
// desk, kept unsealed, uploaded, sealed by the hub and downloaded back; with the line cut after
// rendering, the unsealed proof waits on the desk and is sealed once the desk reconnects.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifySealedPdf } from '../../common/proof/pdfSeal';
import type { LoginResponse } from '../../common/sync/hubApi';
import {
  deliveredTaskOnHub,
  hubApi,
  hubStore,
  startHubProcess,
  type HubProcess,
} from '../sync/testing/hubProcess';
import { caller, openTestDesk, readDeskDb } from '../sync/testing/desks';
import type { DeskBackend } from '../api/dispatcher';
import { openDesk } from '../app/openDesk';
import { startTcpProxy, type TcpProxy } from '../sync/testing/tcpProxy';
import type { ProofRecord } from './proofFiling';

const DOCUMENT_SHA = '5e'.repeat(32);
let hub: HubProcess;
let hubDir: string;
let proxy: TcpProxy;
let api: ReturnType<typeof hubApi>;
let lead: LoginResponse;
let zhang: LoginResponse;
let li: LoginResponse;
let desk: ReturnType<typeof openTestDesk>;
/** 李静's desk: slow retries, so a cut line stays cut until the test syncs again. */
let offlineDesk: { backend: DeskBackend; dir: string; call: ReturnType<typeof caller> };
let rootPem: string;

beforeAll(async () => {
  hubDir = await hubStore(null);
  hub = await startHubProcess(hubDir);
  rootPem = readFileSync(hub.sealRoot, 'utf8');
  api = hubApi(hub.url);
  [lead, zhang, li] = await api.loginDemoTeam();
  proxy = await startTcpProxy(hub.port);
  desk = openTestDesk(proxy.url);
  await desk.call('hubLogin', { username: 'demo.zhang', password: 'demo-desk-2026' });
  const dir = mkdtempSync(join(tmpdir(), 'desk-proof-'));
  const backend = openDesk({
    dataDir: dir,
    dbPath: join(dir, 'desk.sqlite'),
    hub: { configuredUrl: proxy.url },
    sync: { pollMs: 600_000, backoff: { baseMs: 600_000, maxMs: 600_000 } },
  });
  offlineDesk = { backend, dir, call: caller(backend) };
  await offlineDesk.call('hubLogin', { username: 'demo.li', password: 'demo-desk-2026' });
}, 120_000);

afterAll(async () => {
  desk?.backend.close();
  offlineDesk?.backend.close();
  await proxy?.close();
  await hub?.stop();
});

/** A task for `member`, delivered on the hub by another of their desks. */
const deliveredOnHub = (caseNumber: string, member = zhang) =>
  deliveredTaskOnHub(
    hub,
    { lead, member },
    {
      sourceTaskId: `PROOF-${Date.now()}-${caseNumber}`,
      caseNumber,
      document: { title: '起诉状副本', kind: 'complaint', sha256: DOCUMENT_SHA },
    },
  );

function localProof(hubId: string, on: { dir: string } = desk): (ProofRecord & { status: string }) | null {
  return readDeskDb(
    on,
    (db) =>
      (db
        .prepare(
          `SELECT p.proof_id AS proofId, p.status, p.unsealed_path AS unsealedPath, p.sealed_path AS sealedPath,
                  p.sealed_sha256 AS sealedSha256
             FROM proofs p JOIN tasks t ON t.id = p.task_id WHERE t.hub_id = ?`,
        )
        .get(hubId) as ProofRecord) ?? null,
  );
}

async function syncUntilSealed(
  hubId: string,
  on: { backend: DeskBackend; dir: string } = desk,
): Promise<ProofRecord> {
  await vi.waitFor(
    async () => {
      await on.backend.dispatch('syncNow', {});
      expect(localProof(hubId, on)?.status).toBe('sealed');
    },
    { timeout: 30_000, interval: 200 },
  );
  return localProof(hubId, on)!;
}

describe('the proof of service, desk ↔ hub', () => {
  it('is rendered when the task is delivered, sealed by the hub and kept beside the unsealed one', async () => {
    const taskId = await deliveredOnHub('(2026)内0402民初0909号');
    const proof = await syncUntilSealed(taskId);
    const unsealed = readFileSync(proof.unsealedPath);
    const sealed = readFileSync(proof.sealedPath!);
    expect(Buffer.compare(sealed.subarray(0, unsealed.length - 1), unsealed.subarray(0, -1))).toBe(0);
    const verdict = await verifySealedPdf(new Uint8Array(sealed), [rootPem]);
    expect(verdict).toMatchObject({ ok: true });
    expect((await api.task(lead.token, taskId)).status).toBe('proof_issued');
    expect((await api.task(lead.token, taskId)).proof).toMatchObject({
      proofId: proof.proofId,
      status: 'sealed',
    });

    const text = execFileSync('pdftotext', ['-layout', proof.sealedPath!, '-'], { encoding: 'utf8' });
    for (const s of ['送达回证', '(2026)内0402民初0909号', '起诉状副本', DOCUMENT_SHA, proof.proofId])
      expect(text).toContain(s);
    const nss = join(desk.dir, 'nss');
    mkdirSync(nss);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', hub.sealRoot]);
    const sig = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, proof.sealedPath!], { encoding: 'utf8' });
    expect(sig.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(sig.stdout).toContain('Certificate Validation: Certificate is Trusted.');
  });

  it('offline: the unsealed proof waits on the desk and is sealed once the desk reconnects', async () => {
    const taskId = await deliveredOnHub('(2026)内0402民初0910号', li);
    // The line goes down as the PDF goes up, right after the desk rendered and queued it: the
    // proxy refuses from that request on (and cuts the open connections, the event stream too).
    const realFetch = globalThis.fetch;
    const cut = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (init?.method === 'PATCH' && String(input).includes('/blobs/')) await proxy.refuse();
      return realFetch(input, init);
    });
    await offlineDesk.backend.dispatch('syncNow', {});
    cut.mockRestore();
    const waiting = localProof(taskId, offlineDesk);
    expect(waiting).toMatchObject({ status: 'unsealed', sealedPath: null });
    expect(existsSync(waiting!.unsealedPath)).toBe(true);
    await offlineDesk.backend.dispatch('syncNow', {});
    expect(localProof(taskId, offlineDesk)?.status).toBe('unsealed');

    await proxy.heal();
    const sealed = await syncUntilSealed(taskId, offlineDesk);
    expect(sealed.proofId).toBe(waiting!.proofId);
    expect(await verifySealedPdf(new Uint8Array(readFileSync(sealed.sealedPath!)), [rootPem])).toMatchObject({
      ok: true,
    });
  });
});
