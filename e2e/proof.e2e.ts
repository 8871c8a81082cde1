import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { verifySealedPdf } from '../common/proof/pdfSeal';
import {
  deliveredTaskOnHub,
  hubApi,
  startHubProcess,
  type HubProcess,
} from '../main/sync/testing/hubProcess';
import { zhCN } from '../renderer/src/i18n/zh-CN';
import { launchChromium } from './support/chromium';
import { tempDbPath } from './support/deskSession';
import { startHostProcess, type HostProcess } from './support/hostProcess';

// The proof of service in Chromium: a task delivered on the hub shows in the desk's task view as
// "sealed" once its 送达回证 came back sealed, and the PDF saved from the view is the sealed one.
// SCREENSHOT_DIR=… saves the task view with the proof.

const SHOTS = process.env.SCREENSHOT_DIR;
let browser: Browser;
let hub: HubProcess;
let hubDir: string;
let host: HostProcess;

beforeAll(async () => {
  browser = await launchChromium();
  hubDir = mkdtempSync(join(tmpdir(), 'hub-proof-e2e-'));
  hub = await startHubProcess(hubDir);
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await hub?.stop();
  delete process.env.DESK_HUB_DEMO_ACCOUNTS;
});

describe('the proof of service in the task view', () => {
  it('shows the sealed proof of a delivered task, and saves the sealed PDF', async () => {
    const api = hubApi(hub.url);
    const [lead, zhang] = await Promise.all([api.login('demo.lead'), api.login('demo.zhang')]);
    const caseNumber = '(2026)内0402民初0911号';
    await deliveredTaskOnHub(
      hub,
      { lead, member: zhang },
      {
        sourceTaskId: `PROOF-E2E-${Date.now()}`,
        caseNumber,
        document: { title: '起诉状副本', kind: 'complaint', sha256: '5e'.repeat(32) },
      },
    );

    process.env.DESK_HUB_DEMO_ACCOUNTS = JSON.stringify([
      { username: 'demo.zhang', password: 'demo-desk-2026', role: 'specialist' },
    ]);
    host = await startHostProcess(['--db', tempDbPath(), '--hub-url', hub.url]);
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('login-demo').waitFor();
    await page.getByTestId('use-demo.zhang').click();
    await page.getByTestId('login-submit').click();
    await page.getByTestId('sync-indicator').waitFor();

    const search = page.getByTestId('queue-search');
    await expect
      .poll(
        async () => {
          await search.fill(caseNumber);
          return page.getByTestId('queue-row').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('task-view').waitFor({ state: 'visible' });
    const note = page.getByTestId('task-proof');
    await expect
      .poll(
        async () => {
          await page
            .getByTestId('sync-indicator')
            .click()
            .catch(() => undefined);
          return note.getAttribute('data-proof-status').catch(() => null);
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('sealed');
    expect(await note.textContent()).toContain(zhCN.proof.sealed.split(' ·')[0]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'proof-sealed.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('proof-save').click(),
    ]);
    const saved = new Uint8Array(readFileSync((await download.path())!));
    const verdict = await verifySealedPdf(saved, [readFileSync(hub.sealRoot, 'utf8')]);
    expect(verdict).toMatchObject({ ok: true });
  });
});
