// Records a real MediaRecorder Opus/WebM in Debian's Chromium (fake capture fed a spoken WAV),
// in 1-second chunks exactly as the softphone streams them, and saves it as the evidence tests'
// fixture: main/evidence/fixtures/chromium-speech.webm plus the chunk sizes in a .json beside it.
// Chromium's WebM has no duration and no cues, which is what finalisation must repair.
// Run once: npx tsx e2e/tools/recordWebmFixture.ts   (needs chromium and espeak-ng)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

const outDir = resolve(import.meta.dirname, '../../main/evidence/fixtures');
const work = mkdtempSync(join(tmpdir(), 'webm-fixture-'));
const wav = join(work, 'speech.wav');
execFileSync('espeak-ng', [
  '-v',
  'en',
  '-w',
  wav,
  'This call is recorded as evidence for the court. Please confirm your address for delivery.',
]);

const RECORD_MS = 6000;
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    ...CHROMIUM_ARGS,
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
  ],
});
const page = await browser.newPage();
// A loopback origin is a secure context (getUserMedia); the page is served by the route, no server.
await page.route('http://127.0.0.1:9/', (route) =>
  route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rec</title>' }),
);
await page.goto('http://127.0.0.1:9/');
const chunks = await page.evaluate(async (ms) => {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { autoGainControl: false, echoCancellation: false, noiseSuppression: false },
  });
  const recorder = new MediaRecorder(stream, {
    mimeType: 'audio/webm;codecs=opus',
    audioBitsPerSecond: 24000,
  });
  const parts: number[][] = [];
  recorder.ondataavailable = async (e) => parts.push(Array.from(new Uint8Array(await e.data.arrayBuffer())));
  const stopped = new Promise((r) => (recorder.onstop = r));
  recorder.start(1000);
  await new Promise((r) => setTimeout(r, ms));
  recorder.stop();
  await stopped;
  await new Promise((r) => setTimeout(r, 200));
  return parts;
}, RECORD_MS);
await browser.close();

const buffers = chunks.map((c) => Buffer.from(c));
writeFileSync(join(outDir, 'chromium-speech.webm'), Buffer.concat(buffers));
writeFileSync(
  join(outDir, 'chromium-speech.json'),
  `${JSON.stringify({ recordedMs: RECORD_MS, chunkBytes: buffers.map((b) => b.length) }, null, 2)}\n`,
);
console.log(`recorded ${buffers.length} chunks, ${buffers.reduce((n, b) => n + b.length, 0)} bytes`);
