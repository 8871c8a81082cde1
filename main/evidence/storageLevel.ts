import type { StorageStatus } from '../../common/contract';

export interface StorageThresholds {
  /** Warn below this much free space (default 1 GiB)… */
  warningBytes: number;
  /** …or when it holds fewer recording minutes than this (default 8 hours). */
  warningMinutes: number;
  /** Critical below this (default 100 MiB): recordings may fail. */
  criticalBytes: number;
}

export const DEFAULT_STORAGE_THRESHOLDS: StorageThresholds = {
  warningBytes: 1024 ** 3,
  warningMinutes: 8 * 60,
  criticalBytes: 100 * 1024 ** 2,
};

// Opus at 24 kbit/s in WebM is about 0.19 MB a minute; each recording is kept twice (the stream
// and the repaired file), with 10% for container overhead.
export const RECORDING_BYTES_PER_MINUTE = Math.ceil(((24_000 / 8) * 60 * 2 * 11) / 10);

export function storageStatusFor(freeBytes: number, thresholds: StorageThresholds): StorageStatus {
  const minutesLeft = Math.floor(freeBytes / RECORDING_BYTES_PER_MINUTE);
  const level =
    freeBytes < thresholds.criticalBytes
      ? 'critical'
      : freeBytes < thresholds.warningBytes || minutesLeft < thresholds.warningMinutes
        ? 'warning'
        : 'ok';
  return { freeBytes, minutesLeft, level };
}
