import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DeskApi } from '../common/contract';
import { startHostProcess, type HostProcess } from './support/hostProcess';
import { TEST_NOW } from './support/deskSession';
import { launchPhoneChromium } from './peers/phoneBrowser';
import { DESK_SENTENCE, speechWav } from './peers/speech';

declare global {
  interface Window {
    desk?: DeskApi;
  }
}

// `npm start`'s demo line: the host with --demo-line and no SIP account starts the project's
// Kamailio and the answering party simulator; dialling a demo task reaches the simulated party.

let dir: string;
let browser: Browser;
let host: HostProcess;

const hostArgs = (name: string) => [
  '--db',
  join(dir, `${name}.sqlite`),
  '--data-dir',
  join(dir, name),
  '--now',
  TEST_NOW,
  '--demo-line',
];

async function phoneState(page: Page, want: string, timeout = 30_000) {
  await expect
    .poll(() => page.getByTestId('phone-status').getAttribute('data-state'), { timeout })
    .toBe(want);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-demo-line-e2e-'));
  browser = await launchPhoneChromium(speechWav(dir, 'desk', DESK_SENTENCE, 'en-us'));
  host = await startHostProcess(hostArgs('demo'));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('the demo line', () => {
  it('registers the desk at a local Kamailio, says it is a demo line, and a demo task’s call is answered', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(host.url);
    await phoneState(page, 'registered');
    await expect.poll(() => page.getByTestId('phone-demo-badge').textContent()).toBe('演示线路');
    const setup = await page.evaluate(() => window.desk!.phoneSetup({}));
    expect(setup.ok && setup.value.source).toBe('demo');

    await page.getByTestId('demo-load').click();
    await expect.poll(() => page.getByTestId('queue-row').count()).toBeGreaterThan(5);
    // Demo tasks are in varied states: take the first that may be called now.
    let dialled = false;
    for (let row = 0; row < 15 && !dialled; row++) {
      await page.getByTestId('queue-row').nth(row).click();
      await page.getByTestId('task-view').waitFor({ state: 'visible' });
      const dial = page.locator('[data-testid^="call-start-"]:not([disabled])').first();
      if ((await dial.count()) === 0) continue;
      await dial.click();
      dialled = await page
        .locator('[data-testid="call-panel"]')
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
    }
    expect(dialled).toBe(true);
    await page.locator('[data-testid="call-panel"][data-phase="connected"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3000);
    await page.screenshot({ path: join(dir, 'demo-line-call.png') });
    await page.getByTestId('call-hangup').click();
    await page.locator('[data-testid="call-recording"][data-state="saved"]').waitFor({ timeout: 20_000 });
    const taskId = Number(await page.getByTestId('task-view').getAttribute('data-task-id'));
    const task = await page.evaluate((id) => window.desk!.taskGet({ taskId: id }), taskId);
    if (!task.ok) throw new Error(task.error.message);
    const attempt = [...task.value.attempts].sort((a, b) => b.id - a.id)[0]!;
    expect(attempt.call).toMatchObject({ direction: 'outbound', sipStatus: 200, hungUpBy: 'local' });
    expect(attempt.call!.mediaConnectedAt).not.toBeNull();
    expect(attempt.recordings[0]!.state).toBe('complete');
    await page.screenshot({ path: join(dir, 'demo-line-after.png') });
    console.log(`demo line screenshots in ${dir}`);
    await page.close();
  });

  it('without Kamailio, says what is missing', async () => {
    const bare = await startHostProcess(hostArgs('bare'), {
      env: { KAMAILIO_BIN: join(dir, 'no-kamailio') },
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      await page.goto(bare.url);
      await page.getByTestId('phone-status').waitFor({ state: 'visible' });
      const setup = await page.evaluate(() => window.desk!.phoneSetup({}));
      expect(setup.ok && setup.value).toMatchObject({ source: 'none' });
      expect(setup.ok && setup.value.demoUnavailable).toContain('Debian package kamailio');
      await page.getByTestId('phone-status').hover();
      await expect
        .poll(() => page.getByTestId('phone-demo-unavailable').textContent())
        .toContain('没有演示线路');
      await page.screenshot({ path: join(dir, 'demo-line-missing.png') });
      await page.close();
    } finally {
      await bare.stop();
    }
  });
});
