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
