import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, startRetryingPorts } from './ports';

// rtpengine (userspace, no kernel module) on loopback: the media relay between the browser's
// WebRTC leg and a plain-RTP phone. DTLS passive (Chromium stalls against rtpengine's active role).

export const RTPENGINE_BIN = process.env.RTPENGINE_BIN ?? '/usr/bin/rtpengine';

export interface RtpEngine {
  /** NG control socket, host:port, for Kamailio's rtpengine module. */
  ng: string;
  log(): string;
  stop(): Promise<void>;
}

export function rtpengineMissing(): string | null {
  return existsSync(RTPENGINE_BIN)
    ? null
    : `${RTPENGINE_BIN} is not installed (Debian package rtpengine-daemon)`;
}

export const startRtpEngine = (): Promise<RtpEngine> => startRetryingPorts(() => startRtpEngineOnce());

async function startRtpEngineOnce(): Promise<RtpEngine> {
  const missing = rtpengineMissing();
  if (missing) throw new Error(missing);
  const [ngPort = 0, cliPort = 0, mediaMin = 0] = await freePorts(3);
  const dir = mkdtempSync(join(tmpdir(), 'desk-rtpengine-'));
  const child: ChildProcess = spawn(
    RTPENGINE_BIN,
    [
      // Not Debian's /etc/rtpengine/rtpengine.conf (fixed ports another rtpengine may hold).
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      `--listen-cli=127.0.0.1:${cliPort}`,
      `--port-min=${mediaMin + 2}`,
      `--port-max=${mediaMin + 200}`,
      '--dtls-passive',
      '--table=-1',
      '--log-level=6',
      `--pidfile=${join(dir, 'rtpengine.pid')}`,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  // Ready once its DTLS certificate exists and it says so; Kamailio must not ask earlier.
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Stopped before the next try: none is left running.
      void stop().then(() => reject(new Error(`rtpengine did not start\n${output}`)));
    }, 15_000);
    const check = () => {
      if (!output.includes('Startup complete')) return;
      clearTimeout(timer);
      child.stderr!.off('data', check);
      resolve();
    };
    child.stderr!.on('data', check);
    child.once('exit', (code) => reject(new Error(`rtpengine exited with ${code}\n${output}`)));
  });
  return {
    ng: `127.0.0.1:${ngPort}`,
    log: () => output,
    stop,
  };
}
