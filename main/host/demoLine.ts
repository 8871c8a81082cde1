import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { z } from 'zod';
import { SipSettings } from '../../common/contract';
import type { ProvidedAccount } from '../phone/phoneSettings';
import { createLogger } from '../app/logger';

// The demo line for `npm start` without a SIP account: a local Kamailio and an answering party
// simulator (e2e/peers/demoLineCli.ts, the test peers), run as a child process so that it never
// shares the desk's event loop and always dies with it (it stops when its stdin closes).

const CLI = resolve(import.meta.dirname, '../../e2e/peers/demoLineCli.ts');
const START_TIMEOUT_MS = 90_000;

/** The child's one line, checked: it crosses a process boundary. */
const DemoLineLine = z.union([
  z.object({ kind: z.literal('DEMO_LINE'), account: SipSettings }),
  z.object({ kind: z.literal('DEMO_LINE_UNAVAILABLE'), reason: z.string().min(1).max(2000) }),
]);

export interface RunningDemoLine {
  /** For openDesk's demoLine option: the account, or why there is none. */
  line: ProvidedAccount | { unavailable: string };
  stop(): Promise<void>;
}

function parseLine(text: string): z.infer<typeof DemoLineLine> | null {
  const match = /^(DEMO_LINE|DEMO_LINE_UNAVAILABLE) (.+)$/.exec(text);
  if (!match) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(match[2]!);
  } catch {
    return null;
  }
  const parsed = DemoLineLine.safeParse(
    match[1] === 'DEMO_LINE'
      ? { kind: 'DEMO_LINE', account: payload }
      : { kind: 'DEMO_LINE_UNAVAILABLE', reason: payload },
  );
  return parsed.success ? parsed.data : null;
}

export async function startDemoLine(): Promise<RunningDemoLine> {
  const log = createLogger('demo-line');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        done();
      });
      child.stdin!.end();
    });

  const line = await new Promise<RunningDemoLine['line']>((resolveLine) => {
    const unavailable = (reason: string) => resolveLine({ unavailable: reason });
    const timer = setTimeout(() => unavailable('the demo line did not start in 90 s'), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      unavailable(`the demo line exited (${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const parsed = parseLine(text);
      if (!parsed) return;
      clearTimeout(timer);
      if (parsed.kind === 'DEMO_LINE') resolveLine({ settings: parsed.account, password: null });
      else unavailable(parsed.reason);
    });
  });
  if ('unavailable' in line) {
    log.warn({ reason: line.unavailable }, 'no demo line');
    await stop();
  } else log.info({ wsServer: line.settings.wsServer }, 'demo line ready');
  return { line, stop };
}
