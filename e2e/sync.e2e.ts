import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/hostProcess';
import { tempDbPath } from './support/deskSession';
import { hubApi, startHubProcess, type HubProcess } from '../main/sync/testing/hubProcess';
import { zhCN } from '../renderer/src/i18n/zh-CN';
import { demoSignIns } from '../server/store/demoAccounts';

// Two desks and the embedded hub in Chromium: the demo lead reassigns two tasks in bulk on one
// desk; they arrive on a second desk signed in as their new specialist, without a reload.
// SCREENSHOT_DIR=… saves the login screen, the sync indicator and the lead console.

const SHOTS = process.env.SCREENSHOT_DIR;
// The embedded hub's demo accounts, as `npm start` hands them to the desk.
const ACCOUNTS = JSON.stringify(demoSignIns());

let browser: Browser;
let hub: HubProcess;
const hosts: HostProcess[] = [];

async function openDesk(): Promise<Page> {
  process.env.DESK_HUB_DEMO_ACCOUNTS = ACCOUNTS;
  const host = await startHostProcess(['--db', tempDbPath(), '--hub-url', hub.url]);
  hosts.push(host);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(host.url);
  return page;
}

async function signIn(page: Page, username: string) {
  await page.getByTestId('login-demo').waitFor();
  await page.getByTestId(`use-${username}`).click();
  await page.getByTestId('login-submit').click();
  await page.getByTestId('sync-indicator').waitFor();
  await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state')).toBe('online');
}

beforeAll(async () => {
  browser = await launchChromium();
  hub = await startHubProcess(mkdtempSync(join(tmpdir(), 'hub-e2e-')), undefined, 12);
});
afterAll(async () => {
  await browser?.close();
  for (const host of hosts) await host.stop();
  await hub?.stop();
  delete process.env.DESK_HUB_DEMO_ACCOUNTS;
});

describe('lead console and sync in Chromium', () => {
  it('the demo lead reassigns two tasks in bulk; they arrive on the second desk signed in as their new specialist', async () => {
    const leadDesk = await openDesk();
    await leadDesk.getByText(zhCN.hub.loginTitle).waitFor();
    if (SHOTS) await leadDesk.screenshot({ path: join(SHOTS, 'login.png') });
    await signIn(leadDesk, 'demo.lead');

    const liDesk = await openDesk();
    await signIn(liDesk, 'demo.li');
    const rowsOnLi = () => liDesk.getByTestId('queue-row').count();
    await expect.poll(rowsOnLi, { timeout: 15_000 }).toBeGreaterThan(0); // a third of the demo tasks
    const before = await rowsOnLi();
    if (SHOTS)
      await liDesk.screenshot({
        path: join(SHOTS, 'sync-indicator.png'),
        clip: { x: 700, y: 0, width: 740, height: 60 },
      });

    await leadDesk.getByTestId('lead-toggle').click();
    await leadDesk.getByTestId('lead-console').waitFor();
    await leadDesk.getByText(zhCN.lead.filters.unassigned, { exact: true }).click();
    const heldRows = leadDesk
      .locator('[data-testid="lead-table"] tr.ant-table-row')
      .filter({ hasNotText: zhCN.lead.pool });
    await expect.poll(() => heldRows.count()).toBe(0);
    const checkboxes = leadDesk.locator(
      '[data-testid="lead-table"] tr.ant-table-row td.ant-table-selection-column',
    );
    await expect.poll(() => checkboxes.count()).toBeGreaterThan(2);
    const unassigned = await checkboxes.count();
    await checkboxes.nth(0).click();
    await checkboxes.nth(1).click();
    await leadDesk.getByTestId('lead-reassign').click();
    await leadDesk.getByTestId('lead-assignee').click();
    await leadDesk.locator('.ant-select-item-option', { hasText: '李静' }).click();
    await leadDesk.getByTestId('lead-reason').fill('张敏今日请假，转李静');
    if (SHOTS) await leadDesk.screenshot({ path: join(SHOTS, 'lead-reassign.png') });
    await leadDesk.getByTestId('lead-confirm').click();
    await expect.poll(() => checkboxes.count()).toBe(unassigned - 2);
    await leadDesk.getByText(zhCN.lead.filters.all, { exact: true }).click();
    if (SHOTS) await leadDesk.screenshot({ path: join(SHOTS, 'lead-console.png') });

    // "Stuck" takes the lead's N; "hand out by load" says what it will move (cancelled here).
    await leadDesk.getByText(zhCN.lead.filters.stuck, { exact: true }).click();
    await leadDesk.getByTestId('lead-stuck-days').click();
    await leadDesk.locator('.ant-select-item-option', { hasText: /^7$/ }).click();
    await leadDesk.getByTestId('lead-auto-assign').click();
    await leadDesk.getByText(zhCN.lead.autoAssignHint).waitFor();
    if (SHOTS) {
      await leadDesk.waitForTimeout(500); // the modal's opening motion
      await leadDesk.screenshot({ path: join(SHOTS, 'lead-auto-assign.png') });
    }
    await leadDesk.keyboard.press('Escape');
    await leadDesk.getByText(zhCN.lead.autoAssignHint).waitFor({ state: 'hidden' });
    await leadDesk.getByText(zhCN.lead.filters.all, { exact: true }).click();

    // The hub's notice reaches desk B, which pulls: two more tasks, no reload.
    await expect.poll(rowsOnLi, { timeout: 15_000 }).toBe(before + 2);
    await expect.poll(() => liDesk.getByTestId('sync-indicator').getAttribute('data-state')).toBe('online');

    // One of 李静's tasks goes to 张敏: it stays readable on her desk and says who holds it now.
    const api = hubApi(hub.url);
    const lead = await api.login('demo.lead');
    const zhang = await api.login('demo.zhang');
    const first = (await api.queue(lead.token, `assigneeId=${(await api.login('demo.li')).user.id}&limit=1`))
      .rows[0]!;
    await api.reassign(lead.token, [first.id], zhang.user.id, '平衡工作量');
    const partyName = (await api.task(lead.token, first.id)).intake.party.name;
    await liDesk.getByTestId('queue-row').filter({ hasText: partyName }).first().click();
    await liDesk.getByTestId('task-held-by-other').waitFor({ timeout: 15_000 });
    expect(await liDesk.getByTestId('task-held-by-other').textContent()).toContain('张敏');
    if (SHOTS) await liDesk.screenshot({ path: join(SHOTS, 'held-by-other.png') });

    // The hub goes away: the indicator says offline, since when.
    await hub.stop();
    await expect
      .poll(() => liDesk.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('offline');

    // Work goes on offline; the desk says it is saved here only, not at the center.
    await liDesk.getByTestId('disposition-select').selectOption('no_answer');
    await liDesk.getByTestId('outcome-submit').click();
    await liDesk.getByText(zhCN.outcome.savedLocal.split('{{')[0]!).first().waitFor();
    await expect.poll(() => liDesk.getByTestId('sync-pending').textContent()).toMatch(/[1-9]\d* 项变更/);
    await liDesk.getByTestId('task-pending').waitFor();
    if (SHOTS) await liDesk.screenshot({ path: join(SHOTS, 'offline.png') });
  });
});
