import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneSetup } from '../../common/contract';
import { openDesk, SIP_PASSWORD_FILE_NAME } from '../app/openDesk';
import type { DeskBackend } from '../api/dispatcher';
import { startBrowserHost, type BrowserHost } from '../host/browserHost';
import { value } from '../evidence/testing/deskFixture';
import { readSipAccountFile } from './sipAccountFile';
import { sipAccountSavedIn } from './phoneSettings';

// The SIP account main keeps: settings in the database, the password in an owner-only file, never
// in the database, never in an answer but phoneCredentials', never in a log line.
const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'desk-sip-'));
const PASSWORD = 'Pa55-word-3b1f9c';
const SETTINGS = {
  wsServer: 'wss://pbx.court.example:8443/ws',
  sipUri: 'sip:8001@pbx.court.example',
  authUser: '8001',
  displayName: '送达中心 1',
  callerId: '0473-12368',
  dialPrefixes: { mobile: '', landline: '0' },
};
let desk: DeskBackend;
let host: BrowserHost;

beforeAll(async () => {
  desk = openDesk({ dataDir: dir });
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  host = await startBrowserHost({ backend: desk, rendererDir });
});
afterAll(async () => {
  await host.close();
  desk.close();
  rmSync(dir, { recursive: true, force: true });
});

const csp = async () => (await fetch(`${host.origin}/`)).headers.get('content-security-policy')!;
const connectSrc = (policy: string) => policy.split('; ').find((d) => d.startsWith('connect-src'))!;

describe('SIP settings', () => {
  it('starts with no account and a CSP that connects to the desk only', async () => {
    expect(value(await desk.dispatch('phoneSetup', {}))).toEqual({
      settings: null,
      hasPassword: false,
      source: 'none',
      audio: { microphoneId: '', speakerId: '' },
      demoUnavailable: null,
    });
    expect(connectSrc(await csp())).toBe(`connect-src 'self' ${host.origin.replace('http', 'ws')}`);
  });

  it('keeps the password in a 0600 file, never in the database or in phoneSetup', async () => {
    const setup = value(
      await desk.dispatch('phoneSettingsSave', { settings: SETTINGS, password: PASSWORD }),
    ) as PhoneSetup;
    expect(setup).toMatchObject({ settings: SETTINGS, hasPassword: true, source: 'user' });
    expect(JSON.stringify(setup)).not.toContain(PASSWORD);
    const file = join(dir, SIP_PASSWORD_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(PASSWORD);
    for (const name of readdirSync(dir).filter((f) => f.startsWith('desk.sqlite')))
      expect(readFileSync(join(dir, name)).includes(Buffer.from(PASSWORD))).toBe(false);
    expect(value(await desk.dispatch('phoneCredentials', {}))).toEqual({ password: PASSWORD });
  });

  it('keeps the password when a save gives none, and remembers the headset', async () => {
    const setup = value(
      await desk.dispatch('phoneSettingsSave', { settings: { ...SETTINGS, displayName: '送达中心 2' } }),
    ) as PhoneSetup;
    expect(setup).toMatchObject({ hasPassword: true, settings: { displayName: '送达中心 2' } });
    expect(value(await desk.dispatch('phoneCredentials', {}))).toEqual({ password: PASSWORD });
    const audio = value(
      await desk.dispatch('phoneAudioSave', { microphoneId: 'headset-mic', speakerId: 'headset-out' }),
    ) as PhoneSetup;
    expect(audio.audio).toEqual({ microphoneId: 'headset-mic', speakerId: 'headset-out' });
  });

  it('adds the SIP server’s WebSocket origin to the CSP, and only that', async () => {
    expect(connectSrc(await csp())).toBe(
      `connect-src 'self' ${host.origin.replace('http', 'ws')} wss://pbx.court.example:8443`,
    );
  });

  it('refuses a server that is not a WebSocket, and changes nothing', async () => {
    const before = value(await desk.dispatch('phoneSetup', {}));
    expect(
      await desk.dispatch('phoneSettingsSave', {
        settings: { ...SETTINGS, wsServer: 'https://evil.example' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(value(await desk.dispatch('phoneSetup', {}))).toEqual(before);
  });
});

describe('a saved account, as the host sees it before starting the demo line', () => {
  it('is found in a database where one was saved, not in a fresh one nor where there is no file', () => {
    expect(sipAccountSavedIn(join(dir, 'desk.sqlite'))).toBe(true);
    const fresh = mkdtempSync(join(tmpdir(), 'desk-sip-fresh-'));
    openDesk({ dataDir: fresh }).close();
    expect(sipAccountSavedIn(join(fresh, 'desk.sqlite'))).toBe(false);
    expect(sipAccountSavedIn(join(fresh, 'none.sqlite'))).toBe(false);
    rmSync(fresh, { recursive: true, force: true });
  });
});

describe('--settings FILE', () => {
  it('reads the account from the file and the password from the environment; the file wins', async () => {
    const file = join(dir, 'sip.json');
    writeFileSync(file, JSON.stringify({ wsServer: 'ws://127.0.0.1:5066', sipUri: 'sip:8002@127.0.0.1' }));
    const account = readSipAccountFile(file, 'from-env');
    const managed = openDesk({ dataDir: dir, sipAccount: account });
    try {
      expect(value(await managed.dispatch('phoneSetup', {}))).toMatchObject({
        source: 'file',
        hasPassword: true,
        settings: {
          wsServer: 'ws://127.0.0.1:5066',
          sipUri: 'sip:8002@127.0.0.1',
          dialPrefixes: { mobile: '' },
        },
      });
      expect(value(await managed.dispatch('phoneCredentials', {}))).toEqual({ password: 'from-env' });
      expect(managed.connectSources()).toEqual(['ws://127.0.0.1:5066']);
      expect(await managed.dispatch('phoneSettingsSave', { settings: SETTINGS })).toMatchObject({
        ok: false,
        error: { code: 'refused', details: { code: 'phone_settings_managed' } },
      });
    } finally {
      managed.close();
    }
    writeFileSync(file, JSON.stringify({ wsServer: 'ftp://x', sipUri: 'sip:8002@127.0.0.1' }));
    expect(() => readSipAccountFile(file, undefined)).toThrow(/wsServer/);
  });
});

describe('logs', () => {
  it('never carry the password, whatever is logged', () => {
    const childDir = mkdtempSync(join(tmpdir(), 'desk-sip-log-'));
    try {
      const run = spawnSync('npx', ['tsx', 'main/phone/testing/settingsChild.ts', childDir, PASSWORD], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, DESK_LOG_LEVEL: 'trace', VITEST: '' },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toContain('SIP account saved');
      expect(run.stderr).toContain('redaction check');
      expect(run.stderr).toContain('[redacted]');
      expect(run.stderr).not.toContain(PASSWORD);
    } finally {
      rmSync(childDir, { recursive: true, force: true });
    }
  });
});
