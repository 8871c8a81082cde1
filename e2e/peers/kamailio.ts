import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePorts, startRetryingPorts } from './ports';

// The project's own Kamailio (kamailio.cfg beside this file), run from a temp dir on its own
// loopback ports, in the foreground (-DD) so that stopping it is stopping one child process.

export const KAMAILIO_BIN = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';
const CONFIG_TEMPLATE = resolve(import.meta.dirname, 'kamailio.cfg');

export interface KamailioServer {
  /** ws://127.0.0.1:PORT — for browsers. */
  wsUrl: string;
  wsPort: number;
  /** UDP port for other peers (sipp). */
  udpPort: number;
  /** The SIP domain the peers register in. */
  domain: string;
  dir: string;
  /** Everything Kamailio logged so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
  /** Starts it again on the same ports (after stop). */
  restart(): Promise<void>;
}

/** Why Kamailio cannot run here, or null when it can. */
export function kamailioMissing(): string | null {
  if (!existsSync(KAMAILIO_BIN)) return `${KAMAILIO_BIN} is not installed (Debian package kamailio)`;
  if (!existsSync('/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so'))
    return 'Kamailio has no websocket module (Debian package kamailio-websocket-modules)';
  return null;
}

function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolveWait, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolveWait();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`Kamailio did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

export interface KamailioOptions {
  /** rtpengine's NG control socket (host:port): bridges browser and plain-RTP calls. */
  rtpengineNg?: string;
  /** A registered user (e.g. the party simulator) that receives calls to any unregistered phone number. */
  catchAll?: string;
}

export const startKamailio = (options: KamailioOptions = {}): Promise<KamailioServer> =>
  startRetryingPorts(() => startKamailioOnce(options));

async function startKamailioOnce(options: KamailioOptions = {}): Promise<KamailioServer> {
  const missing = kamailioMissing();
  if (missing) throw new Error(missing);
  const [udpPort = 0, wsPort = 0] = await freePorts(2);
  const dir = mkdtempSync(join(tmpdir(), 'desk-kamailio-'));
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(
    cfg,
    readFileSync(CONFIG_TEMPLATE, 'utf8')
      .replaceAll('%UDP_PORT%', String(udpPort))
      .replaceAll('%WS_PORT%', String(wsPort))
      .replaceAll('%RTPENGINE_NG%', options.rtpengineNg ?? '127.0.0.1:0')
      .replaceAll('%CATCHALL%', options.catchAll ?? 'catchall'),
  );
  let output = '';
  let child: ChildProcess | null = null;

  const launch = async () => {
    // -DD: stay in the foreground, still forking the workers; -E: log to stderr; small memory.
    const proc = spawn(
      KAMAILIO_BIN,
      [
        '-f',
        cfg,
        '-DD',
        '-E',
        '-m',
        '32',
        '-M',
        '8',
        '-P',
        join(dir, 'kamailio.pid'),
        '-Y',
        dir,
        ...(options.rtpengineNg ? ['-A', 'WITH_RTPENGINE'] : []),
        ...(options.catchAll ? ['-A', 'WITH_CATCHALL'] : []),
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    proc.stdout!.on('data', append);
    proc.stderr!.on('data', append);
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`kamailio exited with ${code}\n${output.slice(-3000)}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForTcp(wsPort, 15_000), exited]);
  };

  const stop = () =>
    new Promise<void>((done) => {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
    });

  // A Kamailio that did not come up is stopped before the next try: none is left running.
  await launch().catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    wsPort,
    udpPort,
    domain: '127.0.0.1',
    dir,
    log: () => output,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
