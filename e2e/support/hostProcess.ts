import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Starts the browser host as `npm run host` does, in its own process, and waits for its URL. */
export function startHostProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'main/host/cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DESK_LOG_LEVEL: process.env.DESK_LOG_LEVEL ?? 'warn', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 60 s\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('DESK_URL ')) return;
      clearTimeout(timer);
      const url = line.slice('DESK_URL '.length).trim();
      const parsed = new URL(url);
      resolveStart({
        url,
        origin: parsed.origin,
        token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
        child,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
