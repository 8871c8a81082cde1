import { statfsSync } from 'node:fs';
import type { StorageStatus } from '../../common/contract';
import { storageStatusFor, type StorageThresholds } from './storageLevel';

export interface StorageMonitor {
  /** Checks the free space now; tells `onChange` when the level moved since the last check. */
  check(): StorageStatus;
  stop(): void;
}

/**
 * Watches the free space of the folder recordings go to: every `intervalMs` (a minute) and whenever
 * asked (each recordingStart). The level starts as 'ok', so a desk opened on a nearly full disk
 * warns at its first check.
 */
export function startStorageMonitor(options: {
  dir: string;
  thresholds: StorageThresholds;
  intervalMs?: number;
  onChange(status: StorageStatus): void;
}): StorageMonitor {
  let level: StorageStatus['level'] = 'ok';
  const check = (): StorageStatus => {
    const stats = statfsSync(options.dir);
    const status = storageStatusFor(Number(stats.bavail) * Number(stats.bsize), options.thresholds);
    if (status.level !== level) {
      level = status.level;
      options.onChange(status);
    }
    return status;
  };
  const timer = setInterval(() => {
    try {
      check();
    } catch {
      // The folder may be unmounted for a moment; the next check or recordingStart tells.
    }
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
