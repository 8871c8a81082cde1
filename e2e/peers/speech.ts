import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Known sentences for the two sides of a test call, spoken by espeak-ng into WAV files that
// Chromium's fake audio capture plays as the microphone.

export const PARTY_SENTENCE = 'Hello, this is the party speaking. I confirm my address for the court.';
export const DESK_SENTENCE = 'Good morning. This is the delivery center of the people’s court calling.';

/** Writes `text` as a 48 kHz mono WAV into `dir` and answers its path. */
export function speechWav(dir: string, name: string, text: string, voice = 'en'): string {
  const raw = join(dir, `${name}.raw.wav`);
  const file = join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-s', '150', '-w', raw, text]);
  // A pause after the sentence, so that looped playback has silence between repetitions.
  execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', file, 'pad', '0', '0.5']);
  return file;
}

export interface DecodedAudio {
  durationMs: number;
  /** RMS level of the whole file, dBFS. */
  rmsDb: number;
  /** Share of 100 ms windows louder than -40 dBFS (speech present). */
  voicedShare: number;
}

/**
 * Decodes any file ffmpeg reads (here: the recording's WebM/Opus) to 16 kHz mono PCM and measures
 * it. Throws when ffmpeg cannot decode it.
 */
export function decodeAudio(file: string): DecodedAudio {
  const pcm = execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 's16le', '-'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
  const window = 1600;
  let sum = 0;
  let voiced = 0;
  let windows = 0;
  for (let start = 0; start + window <= samples.length; start += window) {
    let windowSum = 0;
    for (let i = start; i < start + window; i++) windowSum += (samples[i]! / 32768) ** 2;
    sum += windowSum;
    windows++;
    if (10 * Math.log10(windowSum / window + 1e-12) > -40) voiced++;
  }
  return {
    durationMs: Math.round((samples.length / 16000) * 1000),
    rmsDb: 10 * Math.log10(sum / Math.max(1, samples.length) + 1e-12),
    voicedShare: windows === 0 ? 0 : voiced / windows,
  };
}

function pcm16k(file: string): Int16Array {
  const pcm = execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '16000', '-f', 's16le', '-'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
}

/** Energy per 20 ms frame (linear RMS). */
function envelope(samples: Int16Array): number[] {
  const frame = 320;
  const out: number[] = [];
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let sum = 0;
    for (let i = start; i < start + frame; i++) sum += (samples[i]! / 32768) ** 2;
    out.push(Math.sqrt(sum / frame));
  }
  return out;
}

function pearson(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

/** The sentence's envelope, looped from the offset where it best follows `target`. */
function bestAligned(target: number[], sentence: number[]): { aligned: number[]; r: number } {
  let best = { aligned: [] as number[], r: -1 };
  for (let lag = 0; lag < sentence.length; lag++) {
    const looped = target.map((_, i) => sentence[(i + lag) % sentence.length]!);
    const r = pearson(target, looped);
    if (r > best.r) best = { aligned: looped, r };
  }
  return best;
}

/** `target` minus its least-squares fit on `regressor` (what `regressor` does not explain). */
function residual(target: number[], regressor: number[]): number[] {
  const n = target.length;
  const mt = target.reduce((a, b) => a + b, 0) / n;
  const mr = regressor.reduce((a, b) => a + b, 0) / n;
  let cov = 0;
  let varR = 0;
  for (let i = 0; i < n; i++) {
    cov += (target[i]! - mt) * (regressor[i]! - mr);
    varR += (regressor[i]! - mr) ** 2;
  }
  const slope = varR === 0 ? 0 : cov / varR;
  return target.map((value, i) => value - slope * (regressor[i]! - mr));
}

/**
 * How well a recording's loudness follows a known sentence (which Chromium's fake microphone
 * plays in a loop, starting anywhere): the best Pearson correlation of the 20 ms energy envelopes
 * over every offset into the loop, after taking out what the `others` sentences (the other side
 * of the call) explain. Speech that is in the recording scores well above speech that is not.
 */
export function sentenceCorrelation(
  recordingFile: string,
  sentenceWav: string,
  others: string[] = [],
): number {
  let recording = envelope(pcm16k(recordingFile));
  for (const other of others)
    recording = residual(recording, bestAligned(recording, envelope(pcm16k(other))).aligned);
  return bestAligned(recording, envelope(pcm16k(sentenceWav))).r;
}
