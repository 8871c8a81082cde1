/**
 * Exponential backoff with jitter: 1 s, 2 s, 4 s … up to `maxMs`, each drawn from [half, full]
 * so a hundred desks coming back after an outage do not knock on the hub all at once.
 */
export function backoffDelay(
  failures: number,
  options: { baseMs?: number; maxMs?: number; random?: () => number } = {},
) {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
