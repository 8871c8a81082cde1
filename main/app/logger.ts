import pino from 'pino';

// One logger; each area takes a child (`createLogger('area')`). No console in main.
// Logs go to stderr: stdout belongs to the CLIs' machine-readable output.
// Secrets never reach a log line: whatever an object calls a password (the SIP account's, at any
// depth a caller might pass it) is censored by pino before it is written.
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'params.password',
  'settings.password',
  'sipPassword',
  '*.sipPassword',
];

export const LOGGER_OPTIONS: pino.LoggerOptions = {
  level: process.env.DESK_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { app: 'delivery-desk' },
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
};

const root = pino(LOGGER_OPTIONS, pino.destination(2));

export type Logger = pino.Logger;
export function createLogger(area: string): Logger {
  return root.child({ area });
}
