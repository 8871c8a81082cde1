/** Delay before re-registration attempt n (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffDelayMs(attempt: number, baseMs = 1000, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 20)));
}
