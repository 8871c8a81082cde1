import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePorts } from './ports';

// An ordinary phone for interop: sipp (Debian sip-tester) answering on UDP with plain RTP, A-law
// only, and playing a known sentence. It registers its number at Kamailio by a plain UDP REGISTER.

export const SIPP_BIN = process.env.SIPP_BIN ?? '/usr/bin/sipp';
const SCENARIO = resolve(import.meta.dirname, 'sipp/uas-pcma.xml');

export interface SippPhone {
  number: string;
  /** Resolves when sipp ends (after one call), with its exit code. */
  done: Promise<number | null>;
  log(): string;
  stop(): Promise<void>;
}

export function sippMissing(): string | null {
  return existsSync(SIPP_BIN) ? null : `${SIPP_BIN} is not installed (Debian package sip-tester)`;
}

/** Sends REGISTER for `number` with a UDP contact at `contactPort`; resolves on 200. */
function registerUdp(kamailioPort: number, number: string, contactPort: number): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolveRegister, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer to REGISTER'));
    }, 5000);
    socket.on('message', (message) => {
      const text = message.toString();
      if (!text.startsWith('SIP/2.0 ')) return;
      if (text.startsWith('SIP/2.0 1')) return;
      clearTimeout(timer);
      socket.close();
      if (text.startsWith('SIP/2.0 200')) resolveRegister();
      else reject(new Error(`REGISTER answered ${text.split('\r\n')[0]}`));
    });
    socket.bind(0, '127.0.0.1', () => {
      const port = socket.address().port;
      const tag = Math.random().toString(36).slice(2);
      const request = [
        `REGISTER sip:127.0.0.1:${kamailioPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};rport;branch=z9hG4bK${tag}`,
        'Max-Forwards: 70',
        `From: <sip:${number}@127.0.0.1>;tag=${tag}`,
        `To: <sip:${number}@127.0.0.1>`,
        `Call-ID: reg-${tag}@127.0.0.1`,
        'CSeq: 1 REGISTER',
        `Contact: <sip:${number}@127.0.0.1:${contactPort}>`,
        'Expires: 3600',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(request, kamailioPort, '127.0.0.1');
    });
  });
}

export async function startSippPhone(options: {
  kamailioUdpPort: number;
  number: string;
  /** The sentence it speaks, as a WAV (converted here to raw A-law). */
  wav: string;
}): Promise<SippPhone> {
  const missing = sippMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'desk-sipp-'));
  copyFileSync(SCENARIO, join(dir, 'uas.xml'));
  execFileSync('sox', [
    options.wav,
    '-r',
    '8000',
    '-c',
    '1',
    '-e',
    'a-law',
    '-t',
    'raw',
    join(dir, 'party.alaw'),
  ]);
  const [sipPort = 0, mediaPort = 0] = await freePorts(2);
  const child: ChildProcess = spawn(
    SIPP_BIN,
    [
      '-sf',
      'uas.xml',
      '-i',
      '127.0.0.1',
      '-p',
      String(sipPort),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(mediaPort),
      '-m',
      '1',
      '-nostdin',
      '-trace_err',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-50_000));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const done = new Promise<number | null>((resolveDone) => child.once('exit', (code) => resolveDone(code)));
  await new Promise((r) => setTimeout(r, 300));
  if (child.exitCode !== null) throw new Error(`sipp exited with ${child.exitCode}\n${output}`);
  await registerUdp(options.kamailioUdpPort, options.number, sipPort);
  return {
    number: options.number,
    done,
    log: () => output,
    stop: () =>
      new Promise((stopped) => {
        if (child.exitCode !== null || child.signalCode !== null) return stopped();
        child.once('exit', () => stopped());
        child.kill('SIGTERM');
      }),
  };
}
