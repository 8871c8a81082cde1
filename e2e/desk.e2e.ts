import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { openDeskSession, tempDbPath } from './support/deskSession';
import { zhCN } from '../renderer/src/i18n/zh-CN';

// The specialist's day in Chromium against the browser host and a real SQLite file.

const CSV_HEADER =
  '来源系统,来源编号,案号,案由,法院,当事人,证件类型,证件号码,联系电话,送达地址,送达文书,送达期限,优先级';
const GOOD_ROWS = [
  '审判系统,E2E-1,(2026)内0303民初1001号,民间借贷纠纷,乌海市海南区人民法院,张伟,居民身份证,11010519491231002X,13812345678,乌海市海南区海北路1号,起诉状副本;应诉通知书;传票,2026-11-30,加急',
  '审判系统,E2E-2,(2026)内0303民初1002号,买卖合同纠纷,乌海市海南区人民法院,欧阳娜娜,,,13900001111,乌海市海南区人民路2号,传票,2026-11-23,普通',
  '审判系统,E2E-3,(2026)内0303民初1003号,劳动争议,乌海市海南区人民法院,李四,,,0473-8123456转801,乌海市海南区滨海大道3号,传票,2026-12-20,普通',
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function importCsv(page: Page, name: string, text: string) {
  // UTF-8 with BOM, as Excel exports it.
  const buffer = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await page.getByTestId('import-report').waitFor({ state: 'visible' });
}

async function closeReport(page: Page) {
  await page.keyboard.press('Escape');
  await page.getByTestId('import-report').waitFor({ state: 'hidden' });
}

async function searchAndOpen(page: Page, query: string, expectedName: string) {
  const search = page.getByTestId('queue-search');
  await search.fill(query);
  await expect.poll(() => page.getByTestId('queue-row').count()).toBe(1);
  await expect.poll(() => page.getByTestId('queue-row').first().textContent()).toContain(expectedName);
  await search.press('Escape');
  await page.keyboard.press('Enter');
  await page.getByTestId('task-view').waitFor({ state: 'visible' });
  await expect.poll(() => page.getByTestId('task-view').textContent()).toContain(expectedName);
}

describe('the desk in Chromium', () => {
  it('imports a CSV, finds a task by a phone typed another way, walks the script, records outcomes, and keeps them across a restart', async () => {
    const dbPath = tempDbPath();
    let session = await openDeskSession(browser, dbPath);
    let { page } = session;
    await page.getByTestId('demo-load').waitFor({ state: 'visible' }); // empty desk offers the demo

    await importCsv(page, 'tasks.csv', [CSV_HEADER, ...GOOD_ROWS].join('\r\n'));
    expect(await page.getByTestId('import-accepted').textContent()).toContain('3');
    await closeReport(page);
    await expect
      .poll(async () => (await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))
      .toBe('3');

    // Stored as 13812345678, typed the way a party reads it out.
    await searchAndOpen(page, '+86 138-1234-5678', '张伟');

    // The call script: five steps with the task's values filled in.
    const steps = page.getByTestId('script-step');
    await expect.poll(() => steps.count()).toBe(5);
    const scriptText = (await page.getByTestId('task-view').textContent()) ?? '';
    expect(scriptText).toContain('乌海市海南区人民法院');
    expect(scriptText).toContain('王敏');
    expect(scriptText).toContain('起诉状副本、应诉通知书、传票');
    expect(scriptText).not.toContain('{{');
    // Masked until revealed.
    expect(await page.getByTestId('id-number').textContent()).toContain('110***********002X');

    for (const id of ['identity', 'recording_notice'])
      await page.getByTestId(`script-step-check-${id}`).check();

    // Dial through the desk: the call attempt opens now and closes with the outcome.
    await page.locator('[data-testid^="call-start-"]').first().click();
    await expect.poll(() => page.getByTestId('task-status').textContent()).toBe(zhCN.status.in_progress);
    await page.getByTestId('disposition-select').selectOption('no_answer');
    await page.getByTestId('outcome-notes').fill('响铃60秒无人接听');
    await page.getByTestId('outcome-submit').click();
    // The open call already shows as an entry; wait for it to be closed with its outcome.
    await expect.poll(() => page.getByTestId('attempt-entry').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('attempt-entry').first().textContent())
      .toContain(zhCN.disposition.no_answer);

    await page.getByTestId('disposition-select').selectOption('callback_requested');
    await page.getByTestId('callback-at').fill('2026-11-24T10:00');
    await page.getByTestId('outcome-submit').click();
    await expect.poll(() => page.getByTestId('attempt-entry').count()).toBe(2);
    await expect.poll(() => page.getByTestId('callback-display').textContent()).toMatch(/10:00/);
    expect(await page.getByTestId('task-status').textContent()).toBe(zhCN.status.in_progress);

    // Restart the host on the same database: everything is still there.
    await session.close();
    session = await openDeskSession(browser, dbPath);
    page = session.page;
    await expect
      .poll(async () => (await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))
      .toBe('3');
    await searchAndOpen(page, '138 1234 5678', '张伟');
    await expect.poll(() => page.getByTestId('attempt-entry').count()).toBe(2);
    const attempts = await page.getByTestId('attempt-entry').allTextContents();
    expect(attempts.join('\n')).toContain(zhCN.disposition.callback_requested);
    expect(attempts.join('\n')).toContain(zhCN.disposition.no_answer);
    expect(attempts.join('\n')).toContain('响铃60秒无人接听');
    await expect.poll(() => page.getByTestId('callback-display').textContent()).toMatch(/10:00/);
    await session.close();
  });

  it('refuses a call outside calling hours and says why, in Chinese', async () => {
    const session = await openDeskSession(browser, tempDbPath(), '2026-11-23T22:30:00+08:00');
    const { page } = session;
    await importCsv(page, 'tasks.csv', [CSV_HEADER, ...GOOD_ROWS].join('\n'));
    await closeReport(page);
    await searchAndOpen(page, '欧阳娜娜', '欧阳娜娜');
    await page.locator('[data-testid^="call-start-"]').first().click();
    await page.getByTestId('call-refused').waitFor({ state: 'visible' });
    const text = (await page.getByTestId('call-refused').textContent()) ?? '';
    expect(text).toContain('不在拨打时段内');
    expect(text).toContain('2026-11-24 08:30');
    expect(await page.getByTestId('task-status').textContent()).toBe(zhCN.status.new);
    await session.close();
  });

  it('shows an unknown ID and a phone extension, and refuses a callback in the past in Chinese', async () => {
    const session = await openDeskSession(browser, tempDbPath());
    const { page } = session;
    await importCsv(page, 'tasks.csv', [CSV_HEADER, ...GOOD_ROWS].join('\n'));
    await closeReport(page);

    // No ID number from the court: the task says so and the script asks for another check.
    await searchAndOpen(page, '欧阳娜娜', '欧阳娜娜');
    await page.getByTestId('id-unknown').waitFor({ state: 'visible' });
    expect(await page.getByTestId('id-unknown').textContent()).toBe(zhCN.task.idUnknown);
    await expect.poll(() => page.getByTestId('script-step').count()).toBe(5);
    // What is read aloud: no ID digits to ask for.
    const identity =
      (await page.getByTestId('script-step').first().locator('.script-lines').textContent()) ?? '';
    expect(identity).not.toContain('后四位');
    expect(identity).toContain('住址');
    // The guidance (not read aloud) has the address on file to compare the answer with.
    expect(await page.getByTestId('script-notes').textContent()).toContain('乌海市海南区人民路2号');

    // A callback time that has passed (the desk's clock is 10:00): refused, in Chinese.
    await page.getByTestId('disposition-select').selectOption('callback_requested');
    await page.getByTestId('callback-at').fill('2026-11-23T09:00');
    await page.getByTestId('outcome-submit').click();
    const notice = page.locator('.ant-notification-notice').filter({ hasText: '回拨时间' });
    await notice.waitFor({ state: 'visible' });
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain(zhCN.errors.refusedTitle);
    expect(text).toContain('回拨时间 2026-11-23 09:00 已经过去，请填写将来的时间');
    expect(text).not.toMatch(/callback|future|[A-Za-z]{4,}/);
    expect(await page.getByTestId('attempt-entry').count()).toBe(0);

    // A landline with an extension: the number masked, the extension beside it.
    await searchAndOpen(page, '0473-8123456', '李四');
    const phone = page.locator('[data-testid^="phone-extension-"]').first();
    await phone.waitFor({ state: 'visible' });
    expect(await phone.textContent()).toBe('分机 801');
    expect(await page.locator('.phone-number').first().textContent()).toBe('0473-***3456');
    await session.close();
  });

  it('filters the demo queue by status and method, with the counts the options show', async () => {
    const session = await openDeskSession(browser, tempDbPath());
    const { page } = session;
    await page.getByTestId('demo-load').click();
    await expect
      .poll(async () => (await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))
      .toBe('300');
    const total = async () => (await page.getByTestId('queue-total').textContent())?.replace(/\D/g, '');
    const optionCount = async (select: string, value: string) =>
      (await page.locator(`[data-testid=${select}] option[value=${value}]`).textContent())?.match(
        /\((\d+)\)/,
      )?.[1];

    const postal = await optionCount('status-filter', 'postal_pending');
    expect(Number(postal)).toBeGreaterThan(0);
    await page.getByTestId('status-filter').selectOption('postal_pending');
    await expect.poll(total).toBe(postal);
    await expect
      .poll(() => page.getByTestId('queue-row').first().textContent())
      .toContain(zhCN.status.postal_pending);

    await page.getByTestId('status-filter').selectOption('');
    const inPerson = await optionCount('method-filter', 'in_person');
    await page.getByTestId('method-filter').selectOption('in_person');
    await expect.poll(total).toBe(inPerson);
    await session.close();
  });

  it('shows the report of an import with bad rows, and imports the good ones', async () => {
    const session = await openDeskSession(browser, tempDbPath());
    const { page } = session;
    const bad = [
      '审判系统,BAD-1,(2026)内0303民初2001号,,乌海市海南区人民法院,赵六,居民身份证,110105194912310021,13812340000,,传票,2026-12-01,普通', // check digit
      '审判系统,BAD-2,(2026)内0303民初2002号,,乌海市海南区人民法院,孙七,,,12345,,传票,2026-12-01,普通', // phone
      '审判系统,BAD-3,,,乌海市海南区人民法院,周八,,,13812340001,,传票,2026-12-01,普通', // no case number
    ];
    await importCsv(page, 'mixed.csv', [CSV_HEADER, GOOD_ROWS[0], ...bad, GOOD_ROWS[0]].join('\n'));
    expect(await page.getByTestId('import-accepted').textContent()).toContain('1');
    await expect.poll(() => page.getByTestId('import-rejected-row').count()).toBe(3);
    const report = (await page.getByTestId('import-report').textContent()) ?? '';
    expect(report).toContain('idNumber');
    expect(report).toContain('phones');
    expect(report).toContain('caseNumber');
    // Reasons are shown in the desk's language by their code, not as the English fallback.
    expect(report).toContain(zhCN.intakeReason.id_check_digit);
    expect(report).toContain(zhCN.intakeReason.phone_invalid.replace('{{phone}}', '12345'));
    expect(report).not.toContain('check digit does not match');
    expect(await page.getByTestId('import-duplicate-rows').textContent()).toContain('5');
    await closeReport(page);

    // A file that is not what it claims: a clear message, nothing imported.
    await page.getByTestId('import-input').setInputFiles({
      name: 'tasks.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"tasks": [ {"sourceTaskId": '),
    });
    await page.getByTestId('import-error').waitFor({ state: 'visible' });
    expect(await page.getByTestId('import-error').textContent()).toContain(zhCN.refusal.file_not_json);
    await closeReport(page);
    await expect
      .poll(async () => (await page.getByTestId('queue-total').textContent())?.replace(/\D/g, ''))
      .toBe('1');
    await session.close();
  });
});
