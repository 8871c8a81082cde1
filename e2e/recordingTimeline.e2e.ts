import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RecordingView } from '../common/contract';
import { launchChromium } from './support/chromium';
import { startHostProcess, type HostProcess } from './support/hostProcess';
import { TEST_NOW } from './support/deskSession';
import {
  answeredCall,
  finishRecording,
  openDeskWithTasks,
  partyHangsUp,
  recordChunks,
  value,
  WEBM_CHUNKS,
} from '../main/evidence/testing/deskFixture';
import { zhCN } from '../renderer/src/i18n/zh-CN';

// The timeline's recording player in Chromium: a recorded call (the real Chromium WebM, streamed
// through the dispatch and finalised) and a call cut short, shown as a specialist sees them.
const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-rec-'));
const SCREENSHOT = process.env.DESK_SCREENSHOT_DIR;
let browser: Browser;
let host: HostProcess;
let page: Page;
let complete: RecordingView;

beforeAll(async () => {
  const desk = await openDeskWithTasks(dataDir);
  const attemptId = await answeredCall(desk);
  const recordingId = await recordChunks(desk, attemptId, WEBM_CHUNKS);
  value(await desk.dispatch('recordingMark', { recordingId, stepId: 'recording_notice', offsetMs: 1200 }));
  value(await desk.dispatch('recordingMark', { recordingId, stepId: 'consent_address', offsetMs: 4300 }));
  await partyHangsUp(desk, attemptId, {
    packetsLost: 3,
    packetsReceived: 298,
    jitterMs: 6.4,
    roundTripMs: 21,
  });
  complete = await finishRecording(desk, recordingId);
  const cut = await answeredCall(desk);
  const cutId = await recordChunks(desk, cut, WEBM_CHUNKS.slice(0, 2));
  value(await desk.dispatch('recordingFinish', { recordingId: cutId, reason: 'unload' }));
  desk.close();

  browser = await launchChromium();
  host = await startHostProcess(['--data-dir', dataDir, '--now', TEST_NOW, '--specialist', '王敏']);
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('queue-row').filter({ hasText: '张三' }).click();
  await page.getByTestId('task-view').waitFor({ state: 'visible' });
});
afterAll(async () => {
  await host?.stop();
  await browser?.close();
});

const audioState = (recordingId: number) =>
  page.locator(`[data-recording-id="${recordingId}"] audio`).evaluate((audio: HTMLAudioElement) => ({
    duration: audio.duration,
    currentTime: audio.currentTime,
    src: audio.src,
  }));

describe('recordings in the task timeline', () => {
  it('plays the repaired recording from a blob: URL with its duration, and shows the call facts', async () => {
    await expect.poll(async () => (await audioState(complete.id)).duration).toBeGreaterThan(5.4);
    const state = await audioState(complete.id);
    expect(state.src).toMatch(/^blob:/);
    expect(state.duration).toBeLessThan(6.6);
    const entry = page.locator(`[data-recording-id="${complete.id}"]`);
    expect(await entry.textContent()).toContain(complete.sha256!.slice(0, 12));
    expect(await entry.textContent()).toContain(zhCN.timeline.recording.states.complete);
    const attempt = page.getByTestId('attempt-entry').filter({ has: entry });
    const facts = await attempt.getByTestId('call-facts').textContent();
    expect(facts).toContain('200 BYE');
    expect(facts).toContain(zhCN.timeline.call.hungUpByValues.remote);
    expect(facts).toContain('138****5678');
    expect(facts).not.toContain('13812345678');
  });

  it('jumps to a script step’s mark', async () => {
    const marks = page.locator(`[data-recording-id="${complete.id}"] [data-testid="recording-mark"]`);
    expect(await marks.count()).toBe(2);
    await marks.nth(1).click();
    await expect.poll(async () => (await audioState(complete.id)).currentTime).toBeGreaterThanOrEqual(4.3);
    await page
      .locator(`[data-recording-id="${complete.id}"] audio`)
      .evaluate((a: HTMLAudioElement) => a.pause());
    if (SCREENSHOT)
      await page.screenshot({ path: join(SCREENSHOT, 'timeline-recordings.png'), fullPage: true });
  });

  it('says plainly when a recording is incomplete', async () => {
    const incomplete = page.locator('[data-testid="recording"][data-state="incomplete"]');
    expect(await incomplete.count()).toBe(1);
    expect(await incomplete.getByTestId('recording-incomplete').textContent()).toBe(
      zhCN.timeline.recording.incompleteNote,
    );
  });

  it('exports the file and its manifest', async () => {
    const downloads: { name: string; path: string }[] = [];
    page.on('download', async (d) =>
      downloads.push({ name: d.suggestedFilename(), path: (await d.path())! }),
    );
    await page.locator(`[data-recording-id="${complete.id}"]`).getByTestId('recording-export').click();
    await expect.poll(() => downloads.length).toBe(2);
    const file = downloads.find((d) => d.name.endsWith('.webm'))!;
    const manifest = downloads.find((d) => d.name.endsWith('.manifest.json'))!;
    expect(createHash('sha256').update(readFileSync(file.path)).digest('hex')).toBe(complete.sha256);
    expect(JSON.parse(readFileSync(manifest.path, 'utf8'))).toMatchObject({ sha256: complete.sha256 });
  });
});
