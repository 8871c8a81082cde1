import pino from 'pino';

// The hub's one logger; each area takes a child (`createLogger('sync')`). No console in the hub.
// Logs go to stderr: stdout belongs to the CLIs' machine-readable output.
const root = pino(
  {
    level: process.env.HUB_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    base: { app: 'delivery-hub' },
  },
  pino.destination(2),
);

export type Logger = pino.Logger;
export function createLogger(area: string): Logger {
  return root.child({ area });
}
