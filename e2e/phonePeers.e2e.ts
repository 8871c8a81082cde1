import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startKamailio, type KamailioServer } from './peers/kamailio';
import { startPeerPages, type PeerPages } from './peers/peerPages';
import { startParty, type PartySimulator } from './peers/partySimulator';
import { launchPhoneChromium } from './peers/phoneBrowser';
import {
  joinRecordingChunks,
  openDeskHarness,
  waitForHarnessCall,
  type HarnessCall,
} from './peers/deskHarness';
import { DESK_SENTENCE, PARTY_SENTENCE, decodeAudio, sentenceCorrelation, speechWav } from './peers/speech';

// Peer level: the desk's phone modules (renderer/src/phone) in a bare page in Chromium call the
// party simulator through the project's Kamailio. Real SIP over WebSocket, real WebRTC media over
// loopback, real MediaRecorder chunks decoded by ffmpeg. Every peer starts once for the suite.

const DESK_EXTENSION = '8001';
const CONTROL_SENTENCE = 'The weather in the northern provinces will be cold and windy tomorrow.';
const PARTY_NUMBER = '13800000001';

let dir: string;
let partyWav: string;
let deskWav: string;
let controlWav: string;
let kamailio: KamailioServer;
let pages: PeerPages;
let party: PartySimulator;
let deskBrowser: Browser;
let desk: Page;

const waitForCall = (name: string, done: (call: HarnessCall) => boolean, timeoutMs?: number) =>
  waitForHarnessCall(desk, name, done, timeoutMs);

async function registrationState(): Promise<string> {
  return desk.evaluate(() => window.harness.status().state);
}

/** The chunks the recorder sent, concatenated in sequence order, as one file. */
function assembledRecording(name: string): { file: string; chunks: number } {
  const file = join(dir, `${name}.webm`);
  const seqs = joinRecordingChunks(pages.chunkDir(name), file);
  expect(seqs).toEqual(seqs.map((_, i) => i)); // 0..n-1, no gaps
  return { file, chunks: seqs.length };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-phone-peers-'));
  partyWav = speechWav(dir, 'party', PARTY_SENTENCE);
  deskWav = speechWav(dir, 'desk', DESK_SENTENCE, 'en-us');
  controlWav = speechWav(dir, 'control', CONTROL_SENTENCE);
  kamailio = await startKamailio();
  pages = await startPeerPages(dir, kamailio.wsUrl);
  party = await startParty({ kamailio, pages, number: PARTY_NUMBER, wav: partyWav });
  deskBrowser = await launchPhoneChromium(deskWav);
  desk = await openDeskHarness(deskBrowser, pages, kamailio, DESK_EXTENSION);
});

afterAll(async () => {
  await desk?.evaluate(() => window.harness.stop()).catch(() => undefined);
  await deskBrowser?.close();
  await party?.stop();
  await pages?.stop();
  await kamailio?.stop();
});

describe('the softphone modules against Kamailio and the party simulator', () => {
  it('registers (REGISTER answered 200)', async () => {
    await expect.poll(registrationState, { timeout: 15_000 }).toBe('registered');
  });

  it('an answered call connects media, sends the extension as DTMF, and records both sides in order', async () => {
    await party.setScenario('answer');
    await desk.evaluate((n) => window.harness.dial('answered', n, 30_000, '801'), PARTY_NUMBER);
    const connected = await waitForCall('answered', (c) => c.phases.includes('connected'));
    expect(connected.pcState).toBe('connected');
    expect(connected.phases).toEqual(['ringing', 'answered', 'connected']);
    expect(connected.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['invite', 'ringing', 'answered', 'media_connected']),
    );
    // answered (SIP) comes before media_connected (ICE/DTLS), never the other way round
    const types = connected.events.map((e) => e.type);
    expect(types.indexOf('answered')).toBeLessThan(types.indexOf('media_connected'));
    expect(connected.codec).toBe('audio/opus');

    await desk.waitForTimeout(10_000); // let both sentences be spoken into the call
    await desk.evaluate(() => window.harness.hangUp());
    const done = await waitForCall('answered', (c) => c.recordingDone);

    expect(done.events).toContainEqual({ type: 'dtmf', digits: '801' });
    expect(done.end).toMatchObject({ sipStatus: 200, hungUpBy: 'local' });
    expect(done.end!.stats!.packetsReceived).toBeGreaterThan(100);
    const ended = done.events.at(-1)!;
    expect(ended.type).toBe('ended');

    const { file, chunks } = assembledRecording('answered');
    const at = (type: string) => done.eventAt[done.events.findIndex((e) => e.type === type)]!;
    const bytes = statSync(file).size;
    expect(chunks).toBe(done.chunks);
    expect(chunks).toBeGreaterThanOrEqual(5);
    const audio = decodeAudio(file);
    const callMs = done.endAt! - done.mediaAt!;
    expect(Math.abs(audio.durationMs - callMs) / callMs).toBeLessThan(0.1);
    expect(audio.rmsDb).toBeGreaterThan(-40);
    expect(audio.voicedShare).toBeGreaterThan(0.3);
    // Both sides are in the mix: with the other side's sentence taken out, its loudness still
    // follows each side's known sentence, and a sentence nobody spoke far less.
    const withParty = sentenceCorrelation(file, partyWav, [deskWav]);
    const withDesk = sentenceCorrelation(file, deskWav, [partyWav]);
    const nobodyBesideDesk = sentenceCorrelation(file, controlWav, [deskWav]);
    const nobodyBesideParty = sentenceCorrelation(file, controlWav, [partyWav]);
    console.log(
      `INVITE→media connected ${at('media_connected') - at('invite')} ms (SIP answered→media ${at('media_connected') - at('answered')} ms); ` +
        `recording ${audio.durationMs} ms (call ${callMs} ms), ${bytes} bytes = ${((bytes / 1e6) * (60_000 / audio.durationMs)).toFixed(3)} MB/min, ` +
        `${audio.rmsDb.toFixed(1)} dBFS, ${chunks} chunks; ` +
        `correlation party ${withParty.toFixed(2)} (control ${nobodyBesideDesk.toFixed(2)}), ` +
        `desk ${withDesk.toFixed(2)} (control ${nobodyBesideParty.toFixed(2)})`,
    );
    expect(withParty).toBeGreaterThan(Math.max(0.3, nobodyBesideDesk + 0.12));
    expect(withDesk).toBeGreaterThan(Math.max(0.3, nobodyBesideParty + 0.12));
  });

  it.each([
    ['busy', 486],
    ['decline', 603],
  ] as const)(
    'a party that rejects (%s) ends the call with SIP %i and no recording',
    async (scenario, code) => {
      await party.setScenario(scenario);
      await desk.evaluate(([name, n]) => window.harness.dial(name!, n!, 30_000), [scenario, PARTY_NUMBER]);
      const done = await waitForCall(scenario, (c) => c.recordingDone);
      expect(done.end).toMatchObject({ sipStatus: code, hungUpBy: 'remote' });
      expect(done.phases).not.toContain('connected');
      expect(done.chunks).toBe(0);
    },
  );

  it('a party that never answers is cancelled after the ring timeout (487)', async () => {
    await party.setScenario('no_answer');
    await desk.evaluate((n) => window.harness.dial('no-answer', n, 3000), PARTY_NUMBER);
    const done = await waitForCall('no-answer', (c) => c.recordingDone);
    expect(done.events).toContainEqual({ type: 'ringing', sipStatus: 180 });
    expect(done.end).toMatchObject({ sipStatus: 487, hungUpBy: 'system', reason: 'no answer' });
    await expect.poll(async () => (await party.log()).some((entry) => entry.what === 'cancelled')).toBe(true);
  });

  it('holds and resumes (re-INVITE the party sees), mutes and sends keypad digits', async () => {
    await party.setScenario('answer');
    await desk.evaluate((n) => window.harness.dial('controls', n, 30_000), PARTY_NUMBER);
    await waitForCall('controls', (c) => c.phases.includes('connected'));
    await expect.poll(() => party.mediaDirection()).toBe('sendrecv');
    await desk.evaluate(() => window.harness.hold(true));
    await expect.poll(() => party.mediaDirection()).toBe('recvonly');
    await desk.evaluate(() => window.harness.hold(false));
    await expect.poll(() => party.mediaDirection()).toBe('sendrecv');
    await desk.evaluate(() => window.harness.mute(true));
    await desk.evaluate(() => window.harness.mute(false));
    await desk.evaluate(() => window.harness.dtmf('12#'));
    await desk.evaluate(() => window.harness.hangUp());
    const done = await waitForCall('controls', (c) => c.recordingDone);
    expect(done.events.map((e) => e.type)).toEqual([
      'invite',
      'ringing',
      'answered',
      'media_connected',
      'held',
      'resumed',
      'muted',
      'unmuted',
      'dtmf',
      'ended',
    ]);
    expect(done.events).toContainEqual({ type: 'dtmf', digits: '12#' });
    expect(done.end).toMatchObject({ sipStatus: 200, hungUpBy: 'local' });
  });

  it('sets calls up about as fast as a bare sip.js user agent in the same harness', async () => {
    // A bare sip.js caller (the party simulator's page, in the desk's browser) and the desk's phone
    // modules each call the party five times; the times are reported, not asserted.
    const bare = await deskBrowser.newPage();
    await bare.goto(pages.url('party'));
    await bare.waitForFunction(() => 'party' in window);
    await bare.evaluate(
      ([ws, aor]) => window.party.start(ws!, aor!),
      [kamailio.wsUrl, `sip:13800000002@${kamailio.domain}`],
    );
    await party.setScenario('answer');
    const bareMs: number[] = [];
    const deskMs: number[] = [];
    for (let round = 0; round < 5; round++) {
      const from = (await bare.evaluate(() => window.party.log())).length;
      void bare.evaluate((n) => window.party.call(n), PARTY_NUMBER);
      await expect
        .poll(async () =>
          (await bare.evaluate(() => window.party.log())).slice(from).some((e) => e.what === 'pc:connected'),
        )
        .toBe(true);
      const entries = (await bare.evaluate(() => window.party.log())).slice(from);
      bareMs.push(
        entries.find((e) => e.what === 'pc:connected')!.at - entries.find((e) => e.what === 'dial')!.at,
      );
      await bare.evaluate(() => window.party.hangUp());

      const name = `setup-${round}`;
      await desk.evaluate(([c, n]) => window.harness.dial(c!, n!, 30_000), [name, PARTY_NUMBER]);
      const call = await waitForCall(name, (c) => c.phases.includes('connected'));
      const at = (type: string) => call.eventAt[call.events.findIndex((e) => e.type === type)]!;
      deskMs.push(at('media_connected') - at('invite'));
      await desk.evaluate(() => window.harness.hangUp());
      await waitForCall(name, (c) => c.recordingDone);
    }
    await bare.close();
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(
      `INVITE→media connected, median of 5: desk ${median(deskMs)} ms, bare sip.js ${median(bareMs)} ms, ` +
        `setupRatio ${(median(deskMs) / median(bareMs)).toFixed(2)} (desk ${deskMs.join(', ')}; bare ${bareMs.join(', ')})`,
    );
    expect(deskMs).toHaveLength(5);
  });

  it('a call from the party rings the desk; answered, it connects and is recorded', async () => {
    await party.setScenario('answer', 0);
    void party.call(DESK_EXTENSION);
    await expect
      .poll(() => desk.evaluate(() => window.harness.incoming()), { timeout: 15_000 })
      .toEqual([PARTY_NUMBER]);
    await desk.evaluate(() => window.harness.answer('inbound'));
    const connected = await waitForCall('inbound', (c) => c.phases.includes('connected'));
    expect(connected.events[0]).toMatchObject({ type: 'invite', dialled: PARTY_NUMBER });
    await desk.waitForTimeout(3000);
    await party.hangUp();
    const done = await waitForCall('inbound', (c) => c.recordingDone);
    expect(done.end).toMatchObject({ sipStatus: 200, hungUpBy: 'remote' });
    const { file } = assembledRecording('inbound');
    expect(decodeAudio(file).rmsDb).toBeGreaterThan(-40);
  });

  it('shows registration failed when Kamailio stops, and registers again by itself after it restarts', async () => {
    await kamailio.stop();
    await expect.poll(registrationState, { timeout: 15_000 }).toBe('failed');
    const failed = await desk.evaluate(() => window.harness.status());
    expect(failed.reason).toBe('transport');
    await kamailio.restart();
    await expect.poll(registrationState, { timeout: 20_000 }).toBe('registered');
  });

  it('re-registers at once when the browser says the network is back, whatever the backoff', async () => {
    // With retries a minute apart, only the `online` event can bring the registration back soon.
    await desk.evaluate(() => window.harness.setBackoffCap(60_000));
    await kamailio.stop();
    await expect.poll(registrationState, { timeout: 15_000 }).toBe('failed');
    await expect
      .poll(() => desk.evaluate(() => window.harness.status().retryInMs), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(8000);
    await kamailio.restart();
    await desk.evaluate(() => window.harness.goOnline());
    await expect.poll(registrationState, { timeout: 5000 }).toBe('registered');
    await desk.evaluate(() => window.harness.setBackoffCap(4000));
  });
});
