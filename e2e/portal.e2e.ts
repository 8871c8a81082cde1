import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLegalEffect } from '../common/domain/legalEffect';
import { legalEffectFacts } from '../server/send/legalFacts';
import {
  ackedSms,
  nextMobile,
  startSendWorld,
  taskSentBySms,
  type SendWorld,
} from '../server/test/sendFixture';
import { launchChromium, newPhoneContext, PHONE_UA } from './support/chromium';

// A recipient on a small phone: opens the link the fake carrier delivered, checks the court and the
// check code, verifies with the code sent by SMS, views a document, signs and confirms. The hub is
// real (PGlite), listening on 127.0.0.1; so are the carrier and the SMTP server beside it.

const SCREENSHOT = process.env.DESK_SCREENSHOT_DIR;

let world: SendWorld;
let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  world = await startSendWorld();
  browser = await launchChromium();
  context = await newPhoneContext(browser);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await world?.close();
});

const shot = async (page: Page, name: string, fullPage = true) => {
  if (SCREENSHOT) await page.screenshot({ path: join(SCREENSHOT, `portal-${name}.png`), fullPage });
};

async function sentLink(phone: string) {
  const { task, sent } = await taskSentBySms(world, phone);
  const sms = await ackedSms(world, phone);
  const link = /https?:\/\/\S+\/p\/[A-Za-z0-9_-]+/.exec(sms.text)![0];
  return { task, sent: sent.body, link };
}

const eventKinds = async (messageId: string) =>
  world.app.db.query<{ kind: string; ip: string; user_agent: string; blob_sha256: string | null }>(
    'SELECT kind, ip, user_agent, blob_sha256 FROM message_events WHERE message_id = $1 ORDER BY at, id',
    [messageId],
  );

describe('recipient portal in Chromium (phone viewport)', () => {
  it('opens the link from the SMS, verifies, views a document, signs and confirms', async () => {
    const phone = nextMobile();
    const { task, sent, link } = await sentLink(phone);
    const messageId = sent.messages[0]!.id;
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });

    await page.goto(link);
    await page.getByText(sent.checkCode, { exact: true }).waitFor();
    await expect(page.getByText('乌海市海南区人民法院').first().isVisible()).resolves.toBe(true);
    await shot(page, '1-opened');

    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByText(/验证码已发送至/).waitFor();
    const otp = await world.carrier.waitForSms(phone, 2);
    await page.getByLabel('短信验证码').fill(otp.params.code!);
    await page.getByRole('button', { name: '验证身份' }).click();
    await page.getByText('送达文书').waitFor();
    await shot(page, '2-case');

    await page.getByRole('button', { name: '查看' }).first().click();
    await page.locator('iframe.viewer').waitFor();
    const pad = page.getByRole('img', { name: '手写签名（可选）' });
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let x = 20; x < box.width - 20; x += 12) {
      await page.mouse.move(box.x + x, box.y + box.height / 2 + Math.sin(x / 15) * 25);
    }
    await page.mouse.up();
    await shot(page, '3-signing');
    await page.getByRole('button', { name: '确认签收' }).click();
    await page.getByText('送达已生效').waitFor();
    await shot(page, '4-confirmed');

    const events = await eventKinds(messageId);
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['opened', 'otp_sent', 'verified', 'viewed', 'signed', 'confirmed']),
    );
    for (const event of events.filter((e) =>
      ['opened', 'verified', 'viewed', 'signed', 'confirmed'].includes(e.kind),
    )) {
      expect(event.ip).toBe('127.0.0.1');
      expect(event.user_agent).toBe(PHONE_UA);
    }
    expect(events.find((e) => e.kind === 'signed')!.blob_sha256).toMatch(/^[0-9a-f]{64}$/);

    // The date shown is computeLegalEffect's, in the court's time zone.
    const effect = computeLegalEffect(await legalEffectFacts(world.app.db, task.taskId));
    expect(effect.rule).toBe('reply_or_confirm');
    const shown = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'long',
      timeStyle: 'short',
    }).format(new Date(effect.serviceDate!));
    await expect(page.locator('#service-date').textContent()).resolves.toBe(`送达日期：${shown}`);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('stays readable at a large font size: nothing wider than the phone', async () => {
    const { link } = await sentLink(nextMobile());
    const page = await context.newPage();
    // The phone's font setting, as the user chose it: twice the default size.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
    await page.goto(link);
    await page.getByRole('button', { name: '验证身份' }).waitFor();
    const fontSize = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    expect(fontSize).toBe('32px');
    // Wider content would make the phone zoom the whole page out (a wider layout viewport).
    const layout = await page.evaluate(() => ({
      width: document.documentElement.clientWidth,
      widest: Math.max(
        ...Array.from(document.querySelectorAll('body *'), (e) => e.getBoundingClientRect().right),
      ),
    }));
    expect(layout.width).toBe(360);
    expect(layout.widest).toBeLessThanOrEqual(360);
    // The viewport only: a full-page capture resizes the emulated screen and loses the font setting.
    await shot(page, '6-large-font', false);
    await page.close();
  });

  it('says an expired link is expired and offers the court’s hotline', async () => {
    const { sent, link } = await sentLink(nextMobile());
    await world.app.db.query(
      `UPDATE messages SET link_expires_at = now() - interval '1 minute' WHERE id = $1`,
      [sent.messages[0]!.id],
    );
    const page = await context.newPage();
    await page.goto(link);
    await page.getByText('此链接已过期。').waitFor();
    const call = page.getByRole('link', { name: /拨打法院电话/ });
    await expect(call.getAttribute('href')).resolves.toBe('tel:0473-12368');
    await shot(page, '5-expired');
    await page.close();
  });
});
