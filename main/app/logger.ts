import pino from 'pino';

// One logger; each area takes a child (`createLogger('store')`). No console in main.
// Logs go to stderr: stdout belongs to the CLIs' machine-readable output.
const root = pino(
  {
    level: process.env.DESK_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
    base: { app: 'delivery-desk' },
  },
  pino.destination(2),
);

export type Logger = pino.Logger;
export function createLogger(area: string): Logger {
  return root.child({ area });
}
