import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startKamailio, type KamailioServer } from './peers/kamailio';
import { startRtpEngine, type RtpEngine } from './peers/rtpengine';
import { startSippPhone, type SippPhone } from './peers/sippPhone';
import { startPeerPages, type PeerPages } from './peers/peerPages';
import { launchPhoneChromium } from './peers/phoneBrowser';
import {
  joinRecordingChunks,
  openDeskHarness,
  waitForHarnessCall,
  type HarnessCall,
} from './peers/deskHarness';
import { DESK_SENTENCE, PARTY_SENTENCE, decodeAudio, sentenceCorrelation, speechWav } from './peers/speech';

// Interop with an ordinary phone: the desk's phone modules (WebRTC: ICE, DTLS-SRTP, Opus offered
// with PCMA/PCMU) call sipp, a plain-RTP A-law phone on UDP, through Kamailio and rtpengine, which
// bridges WebRTC to plain RTP without transcoding. The common codec must be PCMA.

const DESK_EXTENSION = '8001';
const PHONE_NUMBER = '04738123456';

let dir: string;
let rtpengine: RtpEngine;
let kamailio: KamailioServer;
let pages: PeerPages;
let phone: SippPhone;
let deskBrowser: Browser;
let desk: Page;
let partyWav: string;
let deskWav: string;
let controlWav: string;

const waitForCall = (name: string, done: (call: HarnessCall) => boolean, timeout?: number) =>
  waitForHarnessCall(desk, name, done, timeout);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'desk-phone-interop-'));
  partyWav = speechWav(dir, 'party', PARTY_SENTENCE);
  deskWav = speechWav(dir, 'desk', DESK_SENTENCE, 'en-us');
  controlWav = speechWav(
    dir,
    'control',
    'The weather in the northern provinces will be cold and windy tomorrow.',
  );
  // rtpengine first: Kamailio must not ask it before its DTLS certificate exists.
  rtpengine = await startRtpEngine();
  kamailio = await startKamailio({ rtpengineNg: rtpengine.ng });
  phone = await startSippPhone({ kamailioUdpPort: kamailio.udpPort, number: PHONE_NUMBER, wav: partyWav });
  pages = await startPeerPages(dir, kamailio.wsUrl);
  deskBrowser = await launchPhoneChromium(deskWav);
  desk = await openDeskHarness(deskBrowser, pages, kamailio, DESK_EXTENSION);
  await desk.waitForFunction(() => window.harness.status().state === 'registered', null, { timeout: 15_000 });
});

afterAll(async () => {
  await desk?.evaluate(() => window.harness.stop()).catch(() => undefined);
  await deskBrowser?.close();
  await phone?.stop();
  await pages?.stop();
  await kamailio?.stop();
  await rtpengine?.stop();
});

describe('the softphone and an ordinary phone (sipp, plain RTP) through rtpengine', () => {
  it('connects media over G.711 A-law and records the phone’s speech', async () => {
    await desk.evaluate((n) => window.harness.dial('plain', n, 30_000), PHONE_NUMBER);
    const connected = await waitForCall('plain', (c) => c.phases.includes('connected'));
    expect(connected.pcState).toBe('connected');
    expect(connected.codec).toBe('audio/PCMA');
    await desk.waitForTimeout(8000);
    await desk.evaluate(() => window.harness.hangUp());
    const done = await waitForCall('plain', (c) => c.recordingDone);
    expect(done.end).toMatchObject({ sipStatus: 200, hungUpBy: 'local' });
    expect(done.end!.stats!.packetsReceived).toBeGreaterThan(200);
    expect(await phone.done).toBe(0); // sipp saw the whole call, BYE included

    const file = join(dir, 'plain.webm');
    joinRecordingChunks(pages.chunkDir('plain'), file);
    const audio = decodeAudio(file);
    expect(audio.rmsDb).toBeGreaterThan(-40);
    const withPhone = sentenceCorrelation(file, partyWav, [deskWav]);
    const withNobody = sentenceCorrelation(file, controlWav, [deskWav]);
    console.log(
      `plain-RTP call: ${audio.durationMs} ms recorded, ${done.end!.stats!.packetsReceived} packets received, ` +
        `correlation with the phone's sentence ${withPhone.toFixed(2)} (control ${withNobody.toFixed(2)})`,
    );
    expect(withPhone).toBeGreaterThan(Math.max(0.3, withNobody + 0.12));
  });
});
