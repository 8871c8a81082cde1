import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Database } from '../native/sqlite';
import { startHostProcess, type HostProcess } from '../e2e/support/hostProcess';
import { TEST_NOW } from '../e2e/support/deskSession';
import { startKamailio, type KamailioServer } from '../e2e/peers/kamailio';
import { startPeerPages, type PeerPages } from '../e2e/peers/peerPages';
import { startParty } from '../e2e/peers/partySimulator';
import { launchPhoneChromium } from '../e2e/peers/phoneBrowser';
import { DESK_SENTENCE, PARTY_SENTENCE, decodeAudio, speechWav } from '../e2e/peers/speech';
import type { DeskApi } from '../common/contract';
import { findBrowserProcess, measureCpu } from './procCpu';
import { round } from './stats';

/**
 * What the bench reads in its pages (bench/ is type-checked without the DOM, so page code reaches
 * these through globalThis): the peer pages' (globalThis as unknown as PageGlobals).harness and (globalThis as unknown as PageGlobals).party, the desk's window.desk.
 */
interface PageGlobals {
  harness: {
    start(account: {
      wsServer: string;
      sipUri: string;
      authUser: string;
      password: string;
      displayName: string;
    }): void;
    stop(): Promise<void>;
    status(): { state: string };
    dial(name: string, number: string, ringTimeoutMs: number): void;
    call(
      name: string,
    ): { events: { type: string }[]; eventAt: number[]; phases: string[]; recordingDone: boolean } | null;
    hangUp(): Promise<void>;
  };
  party: {
    start(wsServer: string, aor: string): Promise<void>;
    call(number: string): Promise<void>;
    hangUp(): Promise<void>;
    log(): { at: number; what: string }[];
  };
  desk: DeskApi;
  /** Chunks each MediaRecorder produced (bench instrumentation, one entry per recorder). */
  benchChunks?: number[];
}

// `npm run bench -- call`: the softphone's figures (bench/RESULTS.md, "Calls"). Real peers: the
// project's Kamailio (catch-all to the party simulator), the party in its own Chromium, the whole
// desk (browser host + built renderer) in another Chromium with a fake microphone.

const CALLS = Number(process.env.BENCH_CALLS ?? 100);
const BASELINE_CALLS = Number(process.env.BENCH_BASELINE_CALLS ?? Math.min(CALLS, 10));
const CALL_MS = Number(process.env.BENCH_CALL_SECONDS ?? 10) * 1000;
const SETUP_ROUNDS = Number(process.env.BENCH_SETUP_ROUNDS ?? 10);
const PARTY_NUMBER = '13800000001';
const DESK_EXTENSION = '8001';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * INVITE → peer connection connected, median over rounds: the desk's phone modules (the peer
 * harness page) against a bare sip.js user agent (the party page as a caller), same browser.
 */
async function measureSetup(browser: Browser, pages: PeerPages, kamailio: KamailioServer) {
  const desk = await browser.newPage();
  await desk.goto(pages.url('phone'));
  await desk.waitForFunction(() => 'harness' in globalThis);
  await desk.evaluate(
    ([wsServer, sipUri]) =>
      (globalThis as unknown as PageGlobals).harness.start({
        wsServer: wsServer!,
        sipUri: sipUri!,
        authUser: '',
        password: '',
        displayName: '',
      }),
    [kamailio.wsUrl, `sip:${DESK_EXTENSION}@${kamailio.domain}`],
  );
  await until(
    () => desk.evaluate(() => (globalThis as unknown as PageGlobals).harness.status().state),
    (s) => s === 'registered',
    20_000,
    'harness registered',
  );
  const bare = await browser.newPage();
  await bare.goto(pages.url('party'));
  await bare.waitForFunction(() => 'party' in globalThis);
  await bare.evaluate(
    ([ws, aor]) => (globalThis as unknown as PageGlobals).party.start(ws!, aor!),
    [kamailio.wsUrl, `sip:13900000000@${kamailio.domain}`],
  );
  const deskMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < SETUP_ROUNDS; i++) {
    const from = (await bare.evaluate(() => (globalThis as unknown as PageGlobals).party.log())).length;
    void bare.evaluate((n) => (globalThis as unknown as PageGlobals).party.call(n), PARTY_NUMBER);
    const entries = await until(
      async () => (await bare.evaluate(() => (globalThis as unknown as PageGlobals).party.log())).slice(from),
      (log) => log.some((e) => e.what === 'pc:connected'),
      30_000,
      'bare call connected',
    );
    bareMs.push(
      entries.find((e) => e.what === 'pc:connected')!.at - entries.find((e) => e.what === 'dial')!.at,
    );
    await bare.evaluate(() => (globalThis as unknown as PageGlobals).party.hangUp());
    await sleep(500);

    const name = `setup-${i}`;
    await desk.evaluate(
      ([c, n]) => (globalThis as unknown as PageGlobals).harness.dial(c!, n!, 30_000),
      [name, PARTY_NUMBER],
    );
    const call = await until(
      () => desk.evaluate((n) => (globalThis as unknown as PageGlobals).harness.call(n), name),
      (c) => c !== null && c.phases.includes('connected'),
      30_000,
      'desk call connected',
    );
    const at = (type: string) => call!.eventAt[call!.events.findIndex((e) => e.type === type)]!;
    deskMs.push(at('media_connected') - at('invite'));
    await desk.evaluate(() => (globalThis as unknown as PageGlobals).harness.hangUp());
    await until(
      () => desk.evaluate((n) => (globalThis as unknown as PageGlobals).harness.call(n), name),
      (c) => c!.recordingDone,
      20_000,
      'desk call done',
    );
    await sleep(500);
  }
  await desk.evaluate(() => (globalThis as unknown as PageGlobals).harness.stop()).catch(() => undefined);
  await desk.close();
  await bare.close();
  return { deskMs, bareMs };
}

const caseNumber = (i: number) => `(2026)内0303民初${10001 + i}号`;

function tasksCsv(count: number): Buffer {
  const lines = [
    '来源系统,来源编号,案号,案由,法院,当事人,证件类型,证件号码,联系电话,送达地址,送达文书,送达期限,优先级',
  ];
  for (let i = 0; i < count; i++)
    lines.push(
      `审判系统,BENCH-${i},${caseNumber(i)},民间借贷纠纷,乌海市海南区人民法院,测试${i},,,139${String(10_000_000 + i).padStart(8, '0')},乌海市海南区海北路${i + 1}号,传票,2026-12-30,普通`,
    );
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'))]);
}

// Counts what each MediaRecorder produced, so chunks lost on the way to main can be counted.
const COUNT_CHUNKS = `(() => {
  const Native = window.MediaRecorder;
  window.benchChunks = [];
  window.MediaRecorder = class extends Native {
    constructor(stream, options) {
      super(stream, options);
      const index = window.benchChunks.push(0) - 1;
      this.addEventListener('dataavailable', (event) => {
        if (event.data.size > 0) window.benchChunks[index]++;
      });
    }
  };
})();`;

// The baseline: the same desk and calls with no encoding, no chunks and no writes (the WebAudio
// mix is still built). A bench-only stand-in: the product has no switch to skip recording.
const NO_RECORDING = `(() => {
  class SilentRecorder extends EventTarget {
    static isTypeSupported() { return true; }
    state = 'inactive';
    mimeType = 'audio/webm;codecs=opus';
    start() { this.state = 'recording'; }
    stop() {
      this.state = 'inactive';
      setTimeout(() => this.dispatchEvent(new Event('stop')), 0);
    }
  }
  window.MediaRecorder = SilentRecorder;
})();`;

interface DeskCall {
  callMs: number;
  recordingId: number | null;
}

async function openDeskPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await until(
    () => page.getByTestId('phone-status').getAttribute('data-state'),
    (s) => s === 'registered',
    30_000,
    'desk registered',
  );
  return page;
}

/** One call from task `i` in the desk's UI: dial, talk CALL_MS, hang up, record the outcome. */
async function deskCall(page: Page, i: number, recorded: boolean): Promise<DeskCall> {
  await page.getByTestId('queue-search').fill(caseNumber(i));
  const row = page.getByTestId('queue-row').filter({ hasText: caseNumber(i) });
  await until(
    () => row.count(),
    (n) => n === 1,
    20_000,
    `row ${i}`,
  );
  await row.click();
  const view = page.locator('[data-testid="task-view"]', { hasText: caseNumber(i) });
  await view.waitFor({ state: 'visible' });
  const taskId = Number(await view.getAttribute('data-task-id'));
  await page.locator('[data-testid^="call-start-"]').first().click();
  await page.locator('[data-testid="call-panel"][data-phase="connected"]').waitFor({ timeout: 30_000 });
  await sleep(CALL_MS);
  await page.getByTestId('call-hangup').click();
  if (recorded)
    await page.locator('[data-testid="call-recording"][data-state="saved"]').waitFor({ timeout: 30_000 });
  else await page.locator('[data-testid="call-panel"][data-phase="ended"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('disposition-select').selectOption('connected_consented');
  await page.getByTestId('outcome-submit').click();
  const attempt = await until(
    async () => {
      const task = await page.evaluate(
        (id) => (globalThis as unknown as PageGlobals).desk.taskGet({ taskId: id }),
        taskId,
      );
      if (!task.ok) throw new Error(task.error.message);
      return [...task.value.attempts].sort((a, b) => b.id - a.id)[0]!;
    },
    (a) => a.endedAt !== null,
    20_000,
    `outcome of call ${i}`,
  );
  if (await page.getByTestId('call-dismiss').isVisible()) await page.getByTestId('call-dismiss').click();
  const call = attempt.call!;
  return {
    callMs: Date.parse(call.endedAt!) - Date.parse(call.mediaConnectedAt!),
    recordingId: attempt.recordings[0]?.id ?? null,
  };
}

/** Reads the recording back through the contract: hash, decoded duration against the call's. */
async function verifyRecording(page: Page, dir: string, call: DeskCall) {
  const answer = await page.evaluate(
    (id) => (globalThis as unknown as PageGlobals).desk.recordingRead({ recordingId: id }),
    call.recordingId!,
  );
  if (!answer.ok) return { verified: false, bytes: 0, durationMs: 0 };
  const bytes = Buffer.from(answer.value.dataBase64, 'base64');
  const file = join(dir, `recording-${call.recordingId}.webm`);
  writeFileSync(file, bytes);
  const durationMs = decodeAudio(file).durationMs;
  const hashOk = createHash('sha256').update(bytes).digest('hex') === answer.value.recording.sha256;
  const durationOk = Math.abs(durationMs - call.callMs) / call.callMs < 0.1;
  return {
    verified: hashOk && durationOk && answer.value.recording.state === 'complete',
    bytes: bytes.length,
    durationMs,
  };
}

async function deskBatch(options: {
  browser: Browser;
  host: HostProcess;
  browserPid: number;
  calls: number;
  firstTask: number;
  recorded: boolean;
  dir: string;
}) {
  const context = await options.browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  await context.addInitScript({ content: options.recorded ? COUNT_CHUNKS : NO_RECORDING });
  const page = await openDeskPage(context, options.host.url);
  const cpu = measureCpu({ renderer: options.browserPid, main: options.host.child.pid! });
  const calls: DeskCall[] = [];
  for (let i = 0; i < options.calls; i++) {
    calls.push(await deskCall(page, options.firstTask + i, options.recorded));
    process.stdout.write(options.recorded ? '●' : '○');
  }
  const seconds = cpu.stop();
  const produced = options.recorded
    ? await page.evaluate(() => (globalThis as unknown as PageGlobals).benchChunks ?? [])
    : [];
  const checks = options.recorded
    ? await Promise.all(calls.map((call) => verifyRecording(page, options.dir, call)))
    : [];
  await context.close();
  const callMinutes = calls.reduce((sum, c) => sum + c.callMs, 0) / 60_000;
  return { calls, seconds, callMinutes, produced, checks };
}

export async function runCallBench(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-call-bench-'));
  const partyWav = speechWav(dir, 'party', PARTY_SENTENCE);
  const deskWav = speechWav(dir, 'desk', DESK_SENTENCE, 'en-us');
  const kamailio = await startKamailio({ catchAll: PARTY_NUMBER });
  const pages = await startPeerPages(dir, kamailio.wsUrl);
  const party = await startParty({ kamailio, pages, number: PARTY_NUMBER, wav: partyWav });
  await party.setScenario('answer');
  const browser = await launchPhoneChromium(deskWav);
  let host: HostProcess | null = null;
  try {
    const setup = await measureSetup(browser, pages, kamailio);
    console.log(`setup: desk ${setup.deskMs.join(', ')} ms; bare ${setup.bareMs.join(', ')} ms`);

    const settingsFile = join(dir, 'sip.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({ wsServer: kamailio.wsUrl, sipUri: `sip:${DESK_EXTENSION}@${kamailio.domain}` }),
    );
    const dbPath = join(dir, 'desk.sqlite');
    host = await startHostProcess([
      '--db',
      dbPath,
      '--data-dir',
      join(dir, 'data'),
      '--now',
      TEST_NOW,
      '--calling-hours',
      '00:00-23:59',
      '--settings',
      settingsFile,
    ]);
    const importer = await browser.newContext();
    const importPage = await importer.newPage();
    await importPage.goto(host.url);
    await importPage.getByTestId('import-input').setInputFiles({
      name: 'bench.csv',
      mimeType: 'text/csv',
      buffer: tasksCsv(CALLS + BASELINE_CALLS),
    });
    await importPage.getByTestId('import-report').waitFor({ state: 'visible', timeout: 60_000 });
    await importer.close();
    const browserPid = findBrowserProcess(`--use-file-for-fake-audio-capture=${deskWav}`);
    if (!browserPid) throw new Error('the desk’s Chromium process was not found in /proc');

    const batch = { browser, host, browserPid, dir };
    const recorded = await deskBatch({ ...batch, calls: CALLS, firstTask: 0, recorded: true });
    const bare = await deskBatch({ ...batch, calls: BASELINE_CALLS, firstTask: CALLS, recorded: false });
    process.stdout.write('\n');
    await host.stop();
    host = null;

    // What main stored, chunk by chunk, against what each recorder produced.
    const db = new Database(dbPath, { readonly: true });
    const stored = db
      .prepare<[], { id: number; chunks: number; maxSeq: number | null }>(
        `SELECT r.id, COUNT(c.seq) AS chunks, MAX(c.seq) AS maxSeq
         FROM recordings r LEFT JOIN recording_chunks c ON c.recording_id = r.id GROUP BY r.id`,
      )
      .all();
    db.close();
    const byId = new Map(stored.map((row) => [row.id, row]));
    let chunksLost = 0;
    recorded.calls.forEach((call, i) => {
      const row = call.recordingId === null ? undefined : byId.get(call.recordingId);
      const produced = recorded.produced[i] ?? 0;
      chunksLost += Math.max(0, produced - (row?.chunks ?? 0));
      if (row && row.maxSeq !== null) chunksLost += row.maxSeq + 1 - row.chunks; // gaps
    });

    const perMinute = (b: typeof recorded) => (b.seconds.renderer! + b.seconds.main!) / b.callMinutes;
    const recordedMinutes = recorded.checks.reduce((sum, c) => sum + c.durationMs, 0) / 60_000;
    const recordedBytes = recorded.checks.reduce((sum, c) => sum + c.bytes, 0);
    return {
      setupRatio: round(median(setup.deskMs) / median(setup.bareMs)),
      setupDeskMedianMs: median(setup.deskMs),
      setupBareMedianMs: median(setup.bareMs),
      setupRounds: SETUP_ROUNDS,
      calls: CALLS,
      callSeconds: CALL_MS / 1000,
      chunksProduced: recorded.produced.reduce((a, b) => a + b, 0),
      chunksLost,
      callsVerified: recorded.checks.filter((c) => c.verified).length,
      cpuRatio: round(perMinute(recorded) / perMinute(bare)),
      cpuSecondsPerCallMinute: {
        recording: {
          renderer: round(recorded.seconds.renderer! / recorded.callMinutes),
          main: round(recorded.seconds.main! / recorded.callMinutes),
        },
        withoutRecording: {
          renderer: round(bare.seconds.renderer! / bare.callMinutes),
          main: round(bare.seconds.main! / bare.callMinutes),
        },
      },
      baselineCalls: BASELINE_CALLS,
      mbPerMin: round(recordedBytes / 1e6 / recordedMinutes, 3),
      machine: 'shared 2-core VM; Chromium headless; loopback media',
    };
  } finally {
    await host?.stop();
    await browser.close();
    await party.stop();
    await pages.stop();
    await kamailio.stop();
  }
}
