import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repairWebm } from './webmRepair';
import { RECORDED_MS, WEBM_CHUNKS } from './testing/deskFixture';

// The repair alone, on Chromium's own MediaRecorder output; ffmpeg judges the result.
const dir = mkdtempSync(join(tmpdir(), 'desk-webm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const raw = Buffer.concat(WEBM_CHUNKS);

function ffmpegDecodes(bytes: Buffer, name: string) {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' }).status;
}

describe('repairWebm', () => {
  it('adds the duration and keeps every cluster byte as recorded', () => {
    const repaired = repairWebm(raw);
    expect(Math.abs(repaired.durationMs - RECORDED_MS) / RECORDED_MS).toBeLessThan(0.1);
    // Only the metadata before the first cluster changes: the audio is the recorded bytes.
    const clusters = raw.subarray(raw.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75])));
    expect(repaired.bytes.subarray(repaired.bytes.length - clusters.length).equals(clusters)).toBe(true);
    expect(ffmpegDecodes(repaired.bytes, 'whole.webm')).toBe(0);
    expect(Buffer.poolSize).toBe(8192);
  });

  it('repairs a stream cut off in the middle of a cluster', () => {
    const cut = raw.subarray(0, WEBM_CHUNKS[0]!.length + 1777);
    const repaired = repairWebm(cut);
    expect(repaired.durationMs).toBeGreaterThan(500);
    expect(repaired.durationMs).toBeLessThan(2500);
    expect(ffmpegDecodes(repaired.bytes, 'cut.webm')).toBe(0);
  });

  it('refuses what is not a WebM stream', () => {
    expect(() => repairWebm(Buffer.from('RIFF....WAVEfmt '))).toThrow(/not a WebM/);
    expect(() => repairWebm(Buffer.alloc(0))).toThrow(/not a WebM/);
    expect(() => repairWebm(raw.subarray(0, 40))).toThrow(/first cluster/);
  });
});
