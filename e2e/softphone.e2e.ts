import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DeskApi, DeskValue } from '../common/contract';

declare global {
  interface Window {
    desk?: DeskApi;
  }
}
import { startHostProcess, type HostProcess } from './support/hostProcess';
import { TEST_NOW } from './support/deskSession';
import { startKamailio, type KamailioServer } from './peers/kamailio';
import { startPeerPages, type PeerPages } from './peers/peerPages';
import { startParty, type PartySimulator } from './peers/partySimulator';
import { launchPhoneChromium } from './peers/phoneBrowser';
import { DESK_SENTENCE, PARTY_SENTENCE, decodeAudio, sentenceCorrelation, speechWav } from './peers/speech';

// The whole desk as a softphone: the built renderer in Chromium (fake microphone speaking the
// desk's sentence) against the browser host, registered at the project's Kamailio, calling the
// party simulator. Needs main's side of the phone contract (handlers, call facts, recordings).

const DESK_EXTENSION = '8001';
const PARTY_NUMBER = '13800000001';
// One task per call: the domain's retry spacing and attempt limit forbid calling one task again and
// again. The party simulator is registered as PARTY_NUMBER (the callback's task); Kamailio's
// catch-all routes the other tasks' numbers to it too.
const PARTIES = {
  callback: ['张伟', PARTY_NUMBER],
  answer: ['李娜', '13800000002'],
  busy: ['王芳', '13800000003'],
  decline: ['刘洋', '13800000004'],
  unavailable: ['陈静', '13800000005'],
  reload: ['杨磊', '13800000006'],
  kill: ['赵敏', '13800000007'],
} as const;
const CSV = [
  '来源系统,来源编号,案号,案由,法院,当事人,证件类型,证件号码,联系电话,送达地址,送达文书,送达期限,优先级',
  ...Object.values(PARTIES).map(
    ([name, number], i) =>
      `审判系统,SIP-${i + 1},${caseNumberOf(name)},民间借贷纠纷,乌海市海南区人民法院,${name},,,${number},乌海市海南区海北路${i + 1}号,传票,2026-12-30,普通`,
  ),
].join('\r\n');

type Task = DeskValue<'taskGet'>;

let dir: string;
let kamailio: KamailioServer;
let pages: PeerPages;
let party: PartySimulator;
let browser: Browser;
let host: HostProcess;
let context: BrowserContext;
let page: Page;
let dbPath: string;
let settingsFile: string;
let taskId: number;
let partyWav: string;
let deskWav: string;

async function startHost(): Promise<HostProcess> {
  return startHostProcess([
    '--db',
    dbPath,
    '--data-dir',
    join(dir, 'data'),
    '--now',
    TEST_NOW,
    '--specialist',
    '王敏',
    '--settings',
    settingsFile,
  ]);
}

async function openDesk(): Promise<void> {
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  await page.goto(host.url);
  await registered();
}

/** Waits for `read()` to give `want`; usable in hooks too (expect.poll works only inside a test). */
async function until<T>(
  read: () => Promise<T>,
  want: T,
  timeout = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (last === want) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: waited ${timeout} ms for ${String(want)}, last saw ${String(last)}`);
}

async function registered(timeout = 20_000) {
  await until(
    () => page.getByTestId('phone-status').getAttribute('data-state'),
    'registered',
    timeout,
    'phone registration',
  );
}

/** The desk API as the page sees it (window.desk over the host's WebSocket). */
async function taskGet(): Promise<Task> {
  const answer = await page.evaluate((id) => window.desk!.taskGet({ taskId: id }), taskId);
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value;
}

async function readRecording(recordingId: number) {
  const answer = await page.evaluate((id) => window.desk!.recordingRead({ recordingId: id }), recordingId);
  if (!answer.ok) throw new Error(answer.error.message);
  const bytes = Buffer.from(answer.value.dataBase64, 'base64');
  const file = join(dir, `recording-${recordingId}-${Date.now()}.webm`);
  writeFileSync(file, bytes);
  return { view: answer.value.recording, bytes, file };
}

function caseNumberOf(name: string): string {
  const index = Object.values(PARTIES).findIndex(([party]) => party === name);
  return `(2026)内0303民初${2001 + index}号`;
}

/** Finds the party's task by name and opens it (waiting for its row: the last search also showed one). */
async function openTheTask(name: string) {
  const search = page.getByTestId('queue-search');
  await search.fill(name);
  const row = page.getByTestId('queue-row').filter({ hasText: caseNumberOf(name) });
  await until(() => row.count(), 1, 20_000, `the queue row of ${name}`);
  await until(() => page.getByTestId('queue-row').count(), 1, 20_000, 'one queue row');
  await row.click();
  const view = page.locator('[data-testid="task-view"]', { hasText: caseNumberOf(name) });
  await view.waitFor({ state: 'visible' });
  taskId = Number(await view.getAttribute('data-task-id'));
}

async function dialTheParty() {
  await page.locator('[data-testid^="call-start-"]').first().click();
}

async function callPhase(phase: string, timeout = 20_000) {
  await page.locator(`[data-testid="call-panel"][data-phase="${phase}"]`).waitFor({ timeout });
}

async function lastAttempt(): Promise<Task['attempts'][number]> {
  const task = await taskGet();
  return [...task.attempts].sort((a, b) => b.id - a.id)[0]!;
}

/** Records the pre-filled outcome (so the task is free for the next call) and closes the panel. */
async function saveOutcome() {
  await page.getByTestId('outcome-submit').click();
  await expect.poll(async () => (await lastAttempt()).endedAt).not.toBeNull();
  if (await page.getByTestId('call-dismiss').isVisible()) await page.getByTestId('call-dismiss').click();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-softphone-'));
  dbPath = join(dir, 'desk.sqlite');
  partyWav = speechWav(dir, 'party', PARTY_SENTENCE);
  deskWav = speechWav(dir, 'desk', DESK_SENTENCE, 'en-us');
  kamailio = await startKamailio({ catchAll: PARTY_NUMBER });
  settingsFile = join(dir, 'sip.json');
  writeFileSync(
    settingsFile,
    JSON.stringify({
      wsServer: kamailio.wsUrl,
      sipUri: `sip:${DESK_EXTENSION}@${kamailio.domain}`,
      displayName: '王敏',
      callerId: '0473-12368',
    }),
  );
  pages = await startPeerPages(dir, kamailio.wsUrl);
  party = await startParty({ kamailio, pages, number: PARTY_NUMBER, wav: partyWav });
  browser = await launchPhoneChromium(deskWav);
  host = await startHost();
  await openDesk();
  const buffer = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]);
  await page.getByTestId('import-input').setInputFiles({ name: 'sip.csv', mimeType: 'text/csv', buffer });
  await page.getByTestId('import-report').waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.stop();
  await party?.stop();
  await pages?.stop();
  await kamailio?.stop();
});

describe('the desk as a softphone', () => {
  it('dials from the task; the answered call is recorded, with its facts and step marks, in the timeline', async () => {
    await openTheTask(PARTIES.answer[0]);
    await party.setScenario('answer');
    await dialTheParty();
    await callPhase('connected');
    await page.waitForTimeout(2000);
    const firstStep = await page.getByTestId('script-step').first().getAttribute('data-step-id');
    await page.getByTestId(`script-step-check-${firstStep}`).check();
    await page.waitForTimeout(4000);
    await page.getByTestId('call-hangup').click();
    await page.locator('[data-testid="call-recording"][data-state="saved"]').waitFor({ timeout: 20_000 });

    const attempt = await lastAttempt();
    expect(attempt.call).toMatchObject({ direction: 'outbound', sipStatus: 200, hungUpBy: 'local' });
    expect(attempt.call!.sipCallId).toBeTruthy();
    expect(attempt.call!.mediaConnectedAt).not.toBeNull();
    expect(attempt.call!.stats!.packetsReceived).toBeGreaterThan(100);
    expect(attempt.recordings).toHaveLength(1);
    const recording = attempt.recordings[0]!;
    expect(recording.state).toBe('complete');
    expect(recording.marks.map((m) => m.stepId)).toContain(firstStep);

    const { bytes, file, view } = await readRecording(recording.id);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(view.sha256);
    const audio = decodeAudio(file);
    const callMs = Date.parse(attempt.call!.endedAt!) - Date.parse(attempt.call!.mediaConnectedAt!);
    expect(Math.abs(audio.durationMs - callMs) / callMs).toBeLessThan(0.1);
    expect(audio.rmsDb).toBeGreaterThan(-40);
    expect(audio.voicedShare).toBeGreaterThan(0.3);
    // Speech from both sides (see phonePeers.e2e.ts for the measure and its control).
    expect(sentenceCorrelation(file, partyWav, [deskWav])).toBeGreaterThan(0.3);
    expect(sentenceCorrelation(file, deskWav, [partyWav])).toBeGreaterThan(0.3);
    // The timeline offers the recording for playback.
    await expect.poll(() => page.getByTestId('timeline').locator('audio').count()).toBeGreaterThan(0);
    await page.getByTestId('disposition-select').selectOption('connected_consented');
    await saveOutcome();
  });

  it.each([
    ['busy', 486, 'busy'],
    // A declined call is the party rejecting it: a hang-up (common/domain/callSuggestion.ts).
    ['decline', 603, 'hung_up'],
    ['unavailable', 480, 'no_answer'],
  ] as const)(
    'a party that is %s ends the call with SIP %i and pre-fills the outcome',
    async (scenario, code, disposition) => {
      await openTheTask(PARTIES[scenario][0]);
      await party.setScenario(scenario);
      await dialTheParty();
      await callPhase('ended', 30_000);
      await expect.poll(() => page.getByTestId('call-end-reason').textContent()).toContain(String(code));
      await expect.poll(() => page.getByTestId('disposition-select').inputValue()).toBe(disposition);
      const attempt = await lastAttempt();
      expect(attempt.call).toMatchObject({ sipStatus: code, mediaConnectedAt: null });
      expect(attempt.recordings).toEqual([]);
      await saveOutcome();
    },
  );

  it('a callback from the party rings the desk, shows who it is and opens the task on answer', async () => {
    await openTheTask(PARTIES.callback[0]);
    const callbackTaskId = taskId;
    // Another task is in view: answering must open the caller's.
    await openTheTask(PARTIES.answer[0]);
    await party.setScenario('answer');
    void party.call(DESK_EXTENSION);
    await page.getByTestId('incoming-call').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('incoming-matches').textContent()).toContain('张伟');
    await page.keyboard.press('Alt+KeyA');
    await callPhase('connected');
    await expect
      .poll(async () => Number(await page.getByTestId('task-view').getAttribute('data-task-id')))
      .toBe(callbackTaskId);
    taskId = callbackTaskId;
    await page.waitForTimeout(2000);
    await party.hangUp();
    await page.locator('[data-testid="call-recording"][data-state="saved"]').waitFor({ timeout: 20_000 });
    const attempt = await lastAttempt();
    expect(attempt.call).toMatchObject({ direction: 'inbound', sipStatus: 200, hungUpBy: 'remote' });
    expect(attempt.recordings[0]!.state).toBe('complete');
    await page.getByTestId('disposition-select').selectOption('connected_consented');
    await saveOutcome();
  });

  it('a reload mid-call keeps the partial recording, marked incomplete', async () => {
    await openTheTask(PARTIES.reload[0]);
    await party.setScenario('answer');
    await dialTheParty();
    await callPhase('connected');
    await page.waitForTimeout(4000);
    const attemptId = (await lastAttempt()).id;
    await page.reload();
    await registered();
    await expect
      .poll(async () => (await taskGet()).attempts.find((a) => a.id === attemptId)?.recordings[0]?.state, {
        timeout: 20_000,
      })
      .toBe('incomplete');
    const recording = (await taskGet()).attempts.find((a) => a.id === attemptId)!.recordings[0]!;
    const { bytes, file, view } = await readRecording(recording.id);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(view.sha256);
    expect(decodeAudio(file).durationMs).toBeGreaterThan(2000);
    await openTheTask(PARTIES.reload[0]);
    await page.getByTestId('disposition-select').selectOption('hung_up');
    await saveOutcome();
  });

  it('killing the host mid-call leaves, after a restart, a playable partial recording with a verified hash', async () => {
    await openTheTask(PARTIES.kill[0]);
    await party.setScenario('answer');
    await dialTheParty();
    await callPhase('connected');
    await page.waitForTimeout(4000);
    const attemptId = (await lastAttempt()).id;
    host.child.kill('SIGKILL');
    await new Promise((resolve) => host.child.once('exit', resolve));
    await context.close();
    await party.hangUp().catch(() => undefined);
    host = await startHost();
    await openDesk();
    await openTheTask(PARTIES.kill[0]);
    const recording = (await taskGet()).attempts.find((a) => a.id === attemptId)!.recordings[0]!;
    expect(recording.state).toBe('incomplete');
    const { bytes, file, view } = await readRecording(recording.id);
    expect(view.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(view.sha256);
    expect(decodeAudio(file).durationMs).toBeGreaterThan(2000);
  });

  it('shows the phone unregistered while Kamailio is down, and registers again by itself', async () => {
    await kamailio.stop();
    await expect
      .poll(() => page.getByTestId('phone-status').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('failed');
    await kamailio.restart();
    await registered(45_000);
  });
});
