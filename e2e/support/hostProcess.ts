import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

export interface HostProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  /** What the host printed on stdout after its URL (e.g. its `--timings` lines), as it arrives. */
  laterLines: string[];
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');
const HOST_BUNDLE = resolve(ROOT, 'dist/node/host.mjs');
let bundleChecked = false;

/**
 * Builds dist/node (the host's bundle and the CLIs', `npm run verify` among them) when it is
 * missing or older than its sources (as `npm run host` does), once per process, so a test never
 * runs yesterday's host or CLI. The renderer is built beforehand
 * (`npm run build`, or scripts/test.mjs).
 */
export function ensureNodeBundles(): void {
  if (bundleChecked) return;
  const build = spawnSync(process.execPath, ['scripts/build-node.mjs', '--if-stale'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`building dist/node failed\n${build.stderr}`);
  bundleChecked = true;
}

/**
 * Starts the browser host as `npm run host` does (the bundle), in its own process, and waits for
 * its URL. `entry` replaces the bundle (Node's arguments before the host's own), e.g. to time
 * another build of the host; `env` adds to the environment.
 */
export function startHostProcess(
  args: string[],
  options: { entry?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<HostProcess> {
  const { entry, env = {} } = options;
  if (!entry) ensureNodeBundles();
  const child = spawn(process.execPath, [...(entry ?? [HOST_BUNDLE]), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DESK_LOG_LEVEL: process.env.DESK_LOG_LEVEL ?? 'warn', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const laterLines: string[] = [];
  let started = false;
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 60 s\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}\n${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (started) laterLines.push(line);
      if (started || !line.startsWith('DESK_URL ')) return;
      started = true;
      clearTimeout(timer);
      const url = line.slice('DESK_URL '.length).trim();
      const parsed = new URL(url);
      resolveStart({
        url,
        origin: parsed.origin,
        token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
        child,
        laterLines,
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
