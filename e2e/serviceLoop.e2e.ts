import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskApi } from '../common/contract';
import { MANIFEST_PATH, type BundleManifest } from '../common/proof/bundleFormat';
import { PASSWORD } from '../server/test/hubFixture';
import {
  ackedSms,
  nextMobile,
  startSendWorld,
  taskWithDocuments,
  type SendWorld,
  type SentTask,
} from '../server/test/sendFixture';
import { createDemoSeal } from '../server/seal/demoSeal';
import { zhCN } from '../renderer/src/i18n/zh-CN';
import { startKamailio, type KamailioServer } from './peers/kamailio';
import { startParty, type PartySimulator } from './peers/partySimulator';
import { startPeerPages, type PeerPages } from './peers/peerPages';
import { launchPhoneChromium } from './peers/phoneBrowser';
import { DESK_SENTENCE, PARTY_SENTENCE, speechWav } from './peers/speech';
import { newPhoneContext } from './support/chromium';
import { ensureNodeBundles, startHostProcess, type HostProcess } from './support/hostProcess';
import { pdfTextOf, pdfsigTrusting, verifyCli } from './support/proofTools';

declare global {
  interface Window {
    desk?: DeskApi;
  }
}

// Issue 8's loop, end to end with real components: a task made through the hub's intake API (a
// case system's key) appears on the desk; the party simulator answers the desk's softphone call
// through Kamailio and consents (recorded); the desk sends by SMS and e-mail through the hub (fake
// carrier, real SMTP server); a recipient on a small phone opens both links, verifies, views a
// document and confirms; the desk shows "delivered", the rule and the date. Then issue 9's first
// test on that same task: the desk files its proof, the hub seals it (a demo seal), pdfsig trusts
// it, pdftotext finds its facts, `npm run verify` passes offline on the bundle and against the hub,
// and the case system's result API has it. SCREENSHOT_DIR=… saves the send step, the messages, the
// legal effect and the sealed proof.

const SHOTS = process.env.SCREENSHOT_DIR;
const DESK_EXTENSION = '8001';
const PARTY_NUMBER = '13800000001';
const PARTY_EMAIL = 'zhangsan@example.test';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let dir: string;
let world: SendWorld;
let kamailio: KamailioServer;
let pages: PeerPages;
let party: PartySimulator;
let browser: Browser;
let host: HostProcess;
let context: BrowserContext;
let page: Page;
let hubTaskId: string;
let served: SentTask;
let sealRoot: string;

const shot = async (target: Page, name: string) => {
  if (SHOTS) await target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-service-loop-'));
  ensureNodeBundles();
  // The hub seals with a demo seal: the delivered task's proof comes back sealed (issue 9).
  const seal = await createDemoSeal(join(dir, 'seal'));
  sealRoot = seal.root;
  world = await startSendWorld({}, 15_000, { seal: { kind: 'demo', dir: seal.dir } });
  kamailio = await startKamailio({ catchAll: PARTY_NUMBER });
  const settingsFile = join(dir, 'sip.json');
  writeFileSync(
    settingsFile,
    JSON.stringify({
      wsServer: kamailio.wsUrl,
      sipUri: `sip:${DESK_EXTENSION}@${kamailio.domain}`,
      displayName: '张一',
      callerId: '0473-12368',
    }),
  );
  pages = await startPeerPages(dir, kamailio.wsUrl);
  party = await startParty({
    kamailio,
    pages,
    number: PARTY_NUMBER,
    wav: speechWav(dir, 'party', PARTY_SENTENCE),
  });
  browser = await launchPhoneChromium(speechWav(dir, 'desk', DESK_SENTENCE, 'en-us'));
  host = await startHostProcess([
    '--db',
    join(dir, 'desk.sqlite'),
    '--data-dir',
    join(dir, 'data'),
    '--calling-hours',
    '00:00-23:59',
    '--settings',
    settingsFile,
    '--hub-url',
    world.url,
  ]);
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  page = await context.newPage();
  await page.goto(host.url);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.stop();
  await party?.stop();
  await pages?.stop();
  await kamailio?.stop();
  await world?.close();
});

describe('electronic service, desk to recipient, in Chromium', () => {
  it('intake → consented call → SMS and e-mail → the recipient confirms → the desk shows delivered', async () => {
    // (1) The case system files the task at the hub; the lead gives it to the specialist.
    const task = await taskWithDocuments(world, world.specA1, { phone: PARTY_NUMBER, email: PARTY_EMAIL });
    hubTaskId = task.taskId;
    served = task;
    await page.getByTestId('login-username').fill(world.specA1.user.username);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state')).toBe('online');
    await page.getByTestId('queue-row').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('task-view').waitFor();
    await expect
      .poll(() => page.getByTestId('phone-status').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('registered');

    // (2) The party answers and consents; the specialist ticks the script's steps as they go.
    await party.setScenario('answer');
    await page.locator('[data-testid^="call-start-"]').first().click();
    await page.locator('[data-testid="call-panel"][data-phase="connected"]').waitFor({ timeout: 20_000 });
    for (const step of ['identity', 'recording_notice', 'case_documents', 'consent_address']) {
      await page.getByTestId(`script-step-check-${step}`).check();
      await page.waitForTimeout(400);
    }
    await page.getByTestId('call-hangup').click();
    await page.locator('[data-testid="call-recording"][data-state="saved"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('disposition-select').selectOption('connected_consented');
    await expect(page.getByTestId('consent-email').inputValue()).resolves.toBe(PARTY_EMAIL);
    await page.getByTestId('outcome-submit').click();

    // (3) The send step: both confirmed channels, every document, the exact text; then send.
    const step = page.getByTestId('send-step');
    await step.waitFor({ timeout: 20_000 });
    await page.getByTestId('send-preview-button').click();
    await page.getByTestId('send-preview').waitFor();
    expect(await page.getByTestId('send-preview').textContent()).toContain('民事判决书');
    await shot(page, 'send-step');
    await page.getByTestId('send-button').click();
    await page.getByTestId('send-check-code').waitFor({ timeout: 20_000 });
    const checkCode = (await page.locator('.check-code-digits').textContent())!.trim();
    expect(checkCode).toMatch(/^\d{4}$/);
    await page.getByTestId('script-check-code').waitFor();

    // (4) The recipient, on a phone, opens the e-mail's link and the SMS's; verifies, views, confirms.
    const mail = await world.smtp.waitForMail(PARTY_EMAIL);
    const sms = await ackedSms(world, PARTY_NUMBER);
    expect(sms.text).toContain(checkCode);
    const linkIn = (text: string) => /https?:\/\/\S+\/p\/[A-Za-z0-9_-]+/.exec(text)![0];
    const phone = await newPhoneContext(browser);
    const fromMail = await phone.newPage();
    await fromMail.goto(linkIn(mail.text));
    await fromMail.getByText(checkCode, { exact: true }).waitFor();
    const recipient = await phone.newPage();
    await recipient.goto(linkIn(sms.text));
    await recipient.getByText(checkCode, { exact: true }).waitFor();
    await recipient.getByRole('button', { name: '获取验证码' }).click();
    const otp = await world.carrier.waitForSms(PARTY_NUMBER, 2);
    await recipient.getByLabel('短信验证码').fill(otp.params.code!);
    await recipient.getByRole('button', { name: '验证身份' }).click();
    await recipient.getByText('送达文书').waitFor();
    await recipient.getByRole('button', { name: '查看' }).first().click();
    await recipient.locator('iframe.viewer').waitFor();
    await recipient.getByRole('button', { name: '确认签收' }).click();
    await recipient.getByText('送达已生效').waitFor();
    await phone.close();

    // (5) The desk, without a reload: delivered, the rule applied and the service date.
    await expect
      .poll(() => page.getByTestId('effect-rule').getAttribute('data-rule'), { timeout: 20_000 })
      .toBe('arrival_on_consent');
    await page.getByTestId('effect-date').waitFor();
    await expect
      .poll(() => page.getByTestId('task-view').textContent(), { timeout: 20_000 })
      .toContain(zhCN.status.delivered);
    await expect
      .poll(() => page.locator('[data-testid="message-row"][data-status="confirmed"]').count(), {
        timeout: 20_000,
      })
      .toBe(1);
    const onHub = await (
      await fetch(`${world.url}/sync/tasks/${hubTaskId}`, {
        headers: { authorization: `Bearer ${world.specA1.token}` },
      })
    ).json();
    // Delivered, or already past it: the hub seals the proof the desk files meanwhile.
    expect(['delivered', 'proof_issued']).toContain(onHub.status);
    expect(onHub.legalEffect).toMatchObject({ rule: 'arrival_on_consent', basis: 'confirmed' });
    const consent = onHub.facts.find((f: { kind: string }) => f.kind === 'consent');
    expect(consent.body.recordingSha256).toMatch(/^[0-9a-f]{64}$/);
    await page.getByTestId('messages-section').scrollIntoViewIfNeeded();
    await shot(page, 'messages-and-effect');
    if (SHOTS) {
      await page.getByTestId('effect-panel').screenshot({ path: join(SHOTS, 'effect-panel.png') });
      await page.getByTestId('messages-section').screenshot({ path: join(SHOTS, 'messages.png') });
      await page.getByTestId('locale-switch').click();
      await page.getByText('Legal effect of service').waitFor();
      await page.getByTestId('effect-panel').screenshot({ path: join(SHOTS, 'effect-panel-en.png') });
      await page.getByTestId('send-step').screenshot({ path: join(SHOTS, 'send-step-done-en.png') });
      await page.getByTestId('locale-switch').click();
      await page.getByText(zhCN.effect.title).waitFor();
    }
  });

  it('the delivered task’s proof: filed by the desk, sealed by the hub, valid in pdfsig and `npm run verify`', async () => {
    expect(hubTaskId, 'the loop above delivered the task').toBeDefined();
    const started = Date.now();
    // (1) The desk files the proof on its own; the task view shows it sealed once the hub's sealed
    // PDF has synced back (the specialist may press "sync now" meanwhile).
    const note = page.getByTestId('task-proof');
    await expect
      .poll(
        async () => {
          await page.getByTestId('sync-now').click();
          return note.getAttribute('data-proof-status', { timeout: 500 }).catch(() => null);
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('sealed');
    expect(await note.textContent()).toContain(zhCN.proof.sealed.split(' ·')[0]);
    await note.scrollIntoViewIfNeeded();
    await shot(page, 'proof-sealed');
    const localTaskId = Number(await page.getByTestId('task-view').getAttribute('data-task-id'));
    const onDesk = await page.evaluate((taskId) => window.desk!.taskProof({ taskId }), localTaskId);
    if (!onDesk.ok || !onDesk.value) throw new Error(`taskProof: ${JSON.stringify(onDesk)}`);
    const proof = onDesk.value;
    expect(proof).toMatchObject({ status: 'sealed', sealedSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const auth = { authorization: `Bearer ${world.specA1.token}` };
    const onHub = await (await fetch(`${world.url}/sync/tasks/${hubTaskId}`, { headers: auth })).json();
    expect(onHub.proof).toMatchObject({
      proofId: proof.proofId,
      status: 'sealed',
      sealedSha256: proof.sealedSha256,
    });

    // (2) The sealed PDF the specialist saves from the task view is the hub's; pdfsig trusts it
    // under the demo root, and its text names the case, each document and each document's hash.
    const opened = await page.evaluate(
      (proofId) => window.desk!.proofRead({ proofId, sealed: true }),
      proof.proofId,
    );
    if (!opened.ok) throw new Error(`proofRead: ${JSON.stringify(opened.error)}`);
    expect(opened.value.sealed).toBe(true);
    const pdf = Buffer.from(opened.value.dataBase64, 'base64');
    const fromHub = Buffer.from(
      await (await fetch(`${world.url}/blobs/${proof.sealedSha256}`, { headers: auth })).arrayBuffer(),
    );
    expect(pdf.equals(fromHub)).toBe(true);
    const pdfPath = join(dir, 'proof.pdf');
    writeFileSync(pdfPath, pdf);
    const sig = pdfsigTrusting(pdfPath, sealRoot, dir);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Certificate is Trusted.');
    const text = pdfTextOf(pdfPath);
    expect(text).toContain(onHub.intake.case.number.replace(/\s+/g, ''));
    for (const d of served.documents) {
      expect(text).toContain(d.title);
      expect(text).toContain(d.sha256);
    }

    // (3) The evidence bundle holds the call's recording (the consent's hash); it verifies offline
    // with the center's root, and the PDF against the hub. The case system sees delivered and the date.
    const zip = await fetch(`${world.url}/proofs/${proof.proofId}/bundle`, { headers: auth });
    expect(zip.status).toBe(200);
    const bundle = new Uint8Array(await zip.arrayBuffer());
    const files = unzipSync(bundle);
    const manifest = JSON.parse(Buffer.from(files[MANIFEST_PATH]!).toString()) as BundleManifest;
    const consent = onHub.facts.find((f: { kind: string }) => f.kind === 'consent');
    const recording = manifest.entries.find((e) => e.role === 'recording');
    expect(recording?.sha256).toBe(consent.body.recordingSha256);
    expect(sha256(files[recording!.path]!)).toBe(consent.body.recordingSha256);
    const bundlePath = join(dir, 'bundle.zip');
    writeFileSync(bundlePath, bundle);
    const [offline, againstHub, bundleAtHub] = await Promise.all([
      verifyCli(bundlePath, '--root', sealRoot),
      verifyCli(pdfPath, '--hub', world.url),
      verifyCli(bundlePath, '--hub', world.url),
    ]);
    expect(offline.status, offline.out).toBe(0);
    expect(offline.out).toMatch(/VERIFIED bundle .*\(arrival_on_consent\)/);
    expect(againstHub.status, againstHub.out).toBe(0);
    // The facts the desk stated are the hub's records: each message, its arrival, the consent, the date.
    for (const check of ['same_pdf', 'consent_recording', 'messages', 'arrival', 'portal_events', 'effect'])
      expect(againstHub.out).toContain(`✓ hub:${check}`);
    expect(bundleAtHub.status, bundleAtHub.out).toBe(0);

    const result = await (
      await fetch(`${world.url}/intake/tasks/${encodeURIComponent(onHub.intake.sourceTaskId)}/result`, {
        headers: { 'x-api-key': world.keyA },
      })
    ).json();
    expect(result).toMatchObject({
      // Delivered, its proof issued (the hub moves the task on as it seals).
      status: 'proof_issued',
      effect: { effective: true, rule: 'arrival_on_consent', serviceDate: onHub.legalEffect.serviceDate },
      proof: { proofId: proof.proofId, status: 'sealed', sealedSha256: proof.sealedSha256 },
    });
    expect(result.effect.serviceDate).toMatch(/^\d{4}-\d\d-\d\d/);
    const caseCopy = await fetch(`${world.url}${result.proof.pdfUrl}`, {
      headers: { 'x-api-key': world.keyA },
    });
    expect(Buffer.from(await caseCopy.arrayBuffer()).equals(pdf)).toBe(true);
    console.info(`proof sealed, checked and verified in ${Date.now() - started} ms`);
  });

  it('an undelivered SMS shows as failed; the task offers e-mail next or postal service', async () => {
    const mobile = nextMobile();
    world.carrier.behave(mobile, { report: 'undelivered' });
    await taskWithDocuments(world, world.specA1, { phone: mobile, email: PARTY_EMAIL });
    const row = page
      .getByTestId('queue-row')
      .filter({ hasNotText: zhCN.status.delivered })
      .filter({ hasNotText: zhCN.status.proof_issued });
    await row.first().waitFor({ timeout: 20_000 });
    await row.first().click();
    await page
      .locator('[data-testid="task-view"]')
      .filter({ hasNotText: zhCN.status.delivered })
      .filter({ hasNotText: zhCN.status.proof_issued })
      .waitFor();
    // Consent given on the desk phone (no softphone call): the outcome carries the confirmed addresses.
    await page.getByTestId('disposition-select').selectOption('connected_consented');
    await page.getByTestId('outcome-submit').click();
    await page.getByTestId('send-step').waitFor({ timeout: 20_000 });
    await page.getByTestId('send-channel-email').uncheck();
    await page.getByTestId('send-button').click();
    await page.getByTestId('send-next-step').waitFor({ timeout: 20_000 });
    await page.getByTestId('message-failure').waitFor();
    expect(await page.getByTestId('send-next-channel').textContent()).toContain(zhCN.send.channel.email);
    await shot(page, 'send-failed-next-step');
    if (SHOTS) await page.getByTestId('send-step').screenshot({ path: join(SHOTS, 'send-failed.png') });
    await page.getByTestId('send-escalate').click();
    await expect
      .poll(() => page.getByTestId('task-view').textContent(), { timeout: 20_000 })
      .toContain(zhCN.status.postal_pending);
  });
});
