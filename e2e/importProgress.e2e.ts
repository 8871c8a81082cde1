import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { openDeskSession, tempDbPath } from './support/deskSession';
import { toIntakeCsv } from './support/intakeCsv';
import { generateDemoTasks } from '../main/demo/demoTasks';
import { zhCN } from '../renderer/src/i18n/zh-CN';

// A large import runs beside the work: progress while it runs, the queue answering a search
// meanwhile, Cancel, and a report that says how far it got.

const ROWS = 20_000;
const SMALL = [
  '来源系统,来源编号,案号,案由,法院,当事人,证件类型,证件号码,联系电话,送达地址,送达文书,送达期限,优先级',
  '审判系统,E2E-1,(2026)内0303民初1001号,民间借贷纠纷,乌海市海南区人民法院,张伟,居民身份证,11010519491231002X,13812345678,乌海市海南区海北路1号,起诉状副本;应诉通知书;传票,2026-11-30,加急',
].join('\n');

const digits = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));
const WHILE_IMPORTING = { timeout: 30_000, interval: 50 };

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('a large import in Chromium', () => {
  it('shows progress, keeps the queue searchable, cancels, and reports how far it got', async () => {
    const session = await openDeskSession(browser, tempDbPath());
    const { page } = session;
    const input = page.getByTestId('import-input');
    await input.setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(SMALL) });
    await page.getByTestId('import-report').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.getByTestId('import-report').waitFor({ state: 'hidden' });

    const csv = toIntakeCsv(generateDemoTasks({ count: ROWS, today: '2026-11-23', idPrefix: 'BIG-' }));
    await input.setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const panel = page.getByTestId('import-progress');
    await panel.waitFor({ state: 'visible' });
    await expect
      .poll(
        async () => digits(await page.getByTestId('import-progress-accepted').textContent()),
        WHILE_IMPORTING,
      )
      .toBeGreaterThan(0);
    expect(await page.getByTestId('import-progress-rows').textContent()).toContain(
      ROWS.toLocaleString('zh-CN'),
    );

    // While it runs, the queue answers a search.
    const search = page.getByTestId('queue-search');
    await search.fill('138 1234 5678');
    await expect
      .poll(() => page.getByTestId('queue-row').first().textContent(), WHILE_IMPORTING)
      .toContain('张伟');
    expect(await panel.isVisible()).toBe(true);

    await page.getByTestId('import-cancel').click();
    await page.getByTestId('import-cancelled').waitFor({ state: 'visible', timeout: 30_000 });
    await panel.waitFor({ state: 'hidden' });
    const said = (await page.getByTestId('import-cancelled').textContent()) ?? '';
    const [processed, total] = (said.match(/[\d,]+/g) ?? []).map((n) => Number(n.replace(/,/g, '')));
    expect(total).toBe(ROWS);
    expect(processed).toBeGreaterThan(0);
    expect(processed).toBeLessThan(ROWS);
    expect(said).toContain(zhCN.intake.cancelled.split('{{processed}}')[0]!);
    const accepted = digits(await page.getByTestId('import-accepted').textContent());
    expect(accepted).toBe(processed);
    // The report opened while the specialist was elsewhere (the search): close it by its button.
    await page.locator('.ant-modal-footer button').click();
    await page.getByTestId('import-report').waitFor({ state: 'hidden' });
    await search.fill('');
    await expect
      .poll(async () => digits(await page.getByTestId('queue-total').textContent()), WHILE_IMPORTING)
      .toBe(accepted + 1);
    await session.close();
  });
});
