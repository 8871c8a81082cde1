import { describe, expect, it } from 'vitest';
import { DEFAULT_STORAGE_THRESHOLDS, RECORDING_BYTES_PER_MINUTE, storageStatusFor } from './storageLevel';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('storageStatusFor', () => {
  it('is ok with room for more than 8 hours and at least 1 GiB', () => {
    expect(storageStatusFor(20 * GiB, DEFAULT_STORAGE_THRESHOLDS)).toEqual({
      freeBytes: 20 * GiB,
      minutesLeft: Math.floor((20 * GiB) / RECORDING_BYTES_PER_MINUTE),
      level: 'ok',
    });
  });

  it('warns below 1 GiB, or below 8 hours of recording', () => {
    expect(storageStatusFor(GiB - 1, DEFAULT_STORAGE_THRESHOLDS).level).toBe('warning');
    const eightHours = 8 * 60 * RECORDING_BYTES_PER_MINUTE;
    expect(storageStatusFor(eightHours - 1, { ...DEFAULT_STORAGE_THRESHOLDS, warningBytes: 0 }).level).toBe(
      'warning',
    );
    expect(storageStatusFor(eightHours, { ...DEFAULT_STORAGE_THRESHOLDS, warningBytes: 0 }).level).toBe('ok');
  });

  it('is critical below 100 MiB', () => {
    expect(storageStatusFor(100 * MiB - 1, DEFAULT_STORAGE_THRESHOLDS).level).toBe('critical');
    expect(storageStatusFor(100 * MiB, DEFAULT_STORAGE_THRESHOLDS).level).toBe('warning');
  });

  it('reckons about 0.4 MB a minute: a 24 kbit/s stream kept twice, with overhead', () => {
    expect(RECORDING_BYTES_PER_MINUTE).toBe(396_000);
  });
});
