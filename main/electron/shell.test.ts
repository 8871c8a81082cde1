// The Electron shell's wiring, run in plain Node against a stand-in for the 'electron' module
// (the Electron binary is not available where tests run). main.ts is imported for real, with the
// real openDesk behind it, so this checks what main.ts hands to Electron: the window's
// webPreferences, the app:// handler's answers, the IPC sender check, events, hardening, shutdown.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rendererCsp } from '../csp';
import { DEMO_PASSWORD, hubStore, startHubProcess, type HubProcess } from '../sync/testing/hubProcess';

/* eslint-disable @typescript-eslint/no-explicit-any -- a loosely typed stand-in for Electron's API */

type Handler = (...args: any[]) => any;

const h = vi.hoisted(() => {
  const state = {
    appDir: '',
    userData: '',
    windows: [] as any[],
    protocolHandlers: new Map<string, Handler>(),
    ipcHandlers: new Map<string, Handler>(),
    privileged: [] as unknown[],
    permissionRequest: undefined as Handler | undefined,
    permissionCheck: undefined as Handler | undefined,
    devicePermission: undefined as Handler | undefined,
    quit: 0,
    closed: 0,
    leftoverHubToken: '',
    sandboxEnabled: false,
    menuSet: false,
  };
  return { state };
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const { state } = h;
  class FakeWebContents extends EventEmitter {
    sent: unknown[][] = [];
    url = '';
    mainFrame: { processId: number; frameTreeNodeId: number; parent: null; readonly url: string };
    constructor() {
      super();
      const currentUrl = () => this.url;
      this.mainFrame = {
        processId: 7,
        frameTreeNodeId: 1,
        parent: null,
        get url() {
          return currentUrl();
        },
      };
    }
    getURL() {
      return this.url;
    }
    isDestroyed() {
      return false;
    }
    send(channel: string, ...args: unknown[]) {
      this.sent.push([channel, ...args]);
    }
    setWindowOpenHandler(handler: Handler) {
      (this as any).windowOpenHandler = handler;
    }
  }
  class BrowserWindow extends EventEmitter {
    static getAllWindows() {
      return state.windows.filter((w) => !w.destroyed);
    }
    webContents = new FakeWebContents();
    destroyed = false;
    loadedUrl = '';
    constructor(public options: any) {
      super();
      state.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      this.webContents.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {}
    focus() {}
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    enableSandbox() {
      state.sandboxEnabled = true;
    },
    getAppPath: () => state.appDir,
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(name);
      return state.userData;
    },
    setPath: (name: string, value: string) => {
      if (name === 'userData') state.userData = value;
    },
    getLocale: () => 'zh-CN',
    requestSingleInstanceLock: () => true,
    isReady: () => true,
    whenReady: () => Promise.resolve(),
    quit() {
      state.quit += 1;
    },
    exit(code: number) {
      throw new Error(`app.exit(${code})`);
    },
  });
  const session = {
    defaultSession: {
      setPermissionRequestHandler(fn: Handler) {
        state.permissionRequest = fn;
      },
      setPermissionCheckHandler(fn: Handler) {
        state.permissionCheck = fn;
      },
      setDevicePermissionHandler(fn: Handler) {
        state.devicePermission = fn;
      },
    },
  };
  return {
    app,
    BrowserWindow,
    session,
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        state.privileged.push(...schemes);
      },
      handle(scheme: string, fn: Handler) {
        state.protocolHandlers.set(scheme, fn);
      },
    },
    ipcMain: {
      handle(channel: string, fn: Handler) {
        state.ipcHandlers.set(channel, fn);
      },
      removeHandler(channel: string) {
        state.ipcHandlers.delete(channel);
      },
    },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu() {
        state.menuSet = true;
      },
    },
    dialog: {
      showErrorBox(title: string, message: string) {
        throw new Error(`${title}: ${message}`);
      },
    },
    // A stand-in keychain: reversible, and never the plain text.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
      decryptString: (bytes: Buffer) => [...bytes.toString().replace(/^sealed:/, '')].reverse().join(''),
    },
  };
});

vi.mock('../app/openDesk', async (importOriginal) => {
  const real = await importOriginal<typeof import('../app/openDesk')>();
  return {
    ...real,
    openDesk: (options: Parameters<typeof real.openDesk>[0]) => {
      const backend = real.openDesk(options);
      return {
        ...backend,
        close() {
          h.state.closed += 1;
          backend.close();
        },
      };
    },
  };
});

const { state } = h;
let electron: any;
let win: any;

async function settle() {
  for (let i = 0; i < 20 && state.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
}

beforeAll(async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'desk-shell-'));
  state.appDir = path.join(base, 'app');
  mkdirSync(path.join(state.appDir, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(path.join(state.appDir, 'package.json'), '{"name":"secret"}');
  writeFileSync(
    path.join(state.appDir, 'dist', 'renderer', 'index.html'),
    '<!doctype html><title>送达工作台</title>',
  );
  writeFileSync(path.join(state.appDir, 'dist', 'renderer', 'assets', 'app.js'), 'console.log(1)');
  state.userData = path.join(base, 'default-user-data');
  process.env.DESK_DATA_DIR = path.join(base, 'data');
  // A hub token an earlier desk kept in a plain file: main removes it at start.
  mkdirSync(process.env.DESK_DATA_DIR, { recursive: true });
  state.leftoverHubToken = path.join(process.env.DESK_DATA_DIR, 'desk.sqlite.hub-session.secret');
  writeFileSync(state.leftoverHubToken, '{"token":"old-plain-token"}');
  delete process.env.DESK_DEV_URL;
  electron = await import('electron');
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  await import('./main');
  // main.ts quits on SIGINT/SIGTERM; don't leave that behind in the test worker.
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.off(signal, listener);
    }
  }
  await settle();
  win = state.windows[0];
  return () => rmSync(base, { recursive: true, force: true });
});

afterAll(() => {
  delete process.env.DESK_DATA_DIR;
});

describe('before ready', () => {
  it('sandboxes every renderer and registers app:// as a secure standard scheme', () => {
    expect(state.sandboxEnabled).toBe(true);
    expect(state.privileged).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      },
    ]);
  });
  it('honours DESK_DATA_DIR as the user data folder', () => {
    expect(state.userData).toBe(process.env.DESK_DATA_DIR);
  });
});

describe('the window', () => {
  it('is isolated, sandboxed and Node-free, with our preload, and loads app://desk/index.html', () => {
    expect(state.windows).toHaveLength(1);
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      webviewTag: false,
    });
    expect(prefs.preload).toBe(path.join(state.appDir, 'dist', 'electron', 'preload.cjs'));
    expect(win.loadedUrl).toBe('app://desk/index.html');
    expect(state.menuSet).toBe(true);
  });
});

describe('app:// protocol', () => {
  const fetchApp = (url: string, init?: RequestInit) =>
    state.protocolHandlers.get('app')!(new Request(url, init)) as Promise<Response>;

  it('serves renderer files with their MIME type and the CSP', async () => {
    const res = await fetchApp('app://desk/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(rendererCsp());
    expect(await res.text()).toContain('送达工作台');
    const js = await fetchApp('app://desk/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses traversal, other hosts, missing files and writes, each with the CSP', async () => {
    const cases: [string, number, RequestInit?][] = [
      ['app://desk/assets/..%2f..%2f..%2fpackage.json', 403],
      ['app://desk/..%5c..%5cpackage.json', 403],
      ['app://other/index.html', 403],
      ['app://desk/missing.js', 404],
      ['app://desk/assets', 404], // a directory
      ['app://desk/index.html', 405, { method: 'POST', body: 'x' }],
    ];
    for (const [url, status, init] of cases) {
      const res = await fetchApp(url, init);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-security-policy'), url).toBe(rendererCsp());
      expect(await res.text()).not.toContain('secret');
    }
  });
});

describe('desk:call', () => {
  const call = (event: unknown, name: unknown, params: unknown) =>
    state.ipcHandlers.get('desk:call')!(event, name, params);
  const mainFrameEvent = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
  const refused = { ok: false, error: { code: 'invalid_request', message: 'sender not allowed' } };

  it('passes our main frame’s calls to the back end', async () => {
    const answer = await call(mainFrameEvent(), 'sessionInfo', {});
    expect(answer).toMatchObject({ ok: true, value: { taskCount: 0 } });
    expect(await call(mainFrameEvent(), 'noSuchCall', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
  });

  it('refuses subframes, destroyed frames, foreign web contents and foreign origins', async () => {
    const sub = {
      processId: 7,
      frameTreeNodeId: 2,
      parent: win.webContents.mainFrame,
      url: 'app://desk/index.html',
    };
    expect(await call({ sender: win.webContents, senderFrame: sub }, 'sessionInfo', {})).toEqual(refused);
    expect(await call({ sender: win.webContents, senderFrame: null }, 'sessionInfo', {})).toEqual(refused);
    const stranger = new EventEmitter() as any;
    stranger.isDestroyed = () => false;
    stranger.mainFrame = { processId: 9, frameTreeNodeId: 1, parent: null, url: 'app://desk/index.html' };
    expect(await call({ sender: stranger, senderFrame: stranger.mainFrame }, 'sessionInfo', {})).toEqual(
      refused,
    );
    win.webContents.url = 'https://evil.example/';
    try {
      expect(await call(mainFrameEvent(), 'sessionInfo', {})).toEqual(refused);
    } finally {
      win.webContents.url = 'app://desk/index.html';
    }
  });

  it('sends back-end events to our windows on desk:event', async () => {
    win.webContents.sent.length = 0;
    const answer = await call(mainFrameEvent(), 'demoLoad', {});
    expect(answer).toMatchObject({ ok: true });
    expect(win.webContents.sent).toContainEqual(['desk:event', 'queueChanged', { reason: 'demo' }]);
  });
});

describe('the SIP account in Electron', () => {
  const call = (name: unknown, params: unknown) =>
    state.ipcHandlers.get('desk:call')!(
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      name,
      params,
    );
  const fetchApp = (url: string) => state.protocolHandlers.get('app')!(new Request(url)) as Promise<Response>;

  it('keeps the password sealed by safeStorage in an owner-only file, and the CSP follows the account', async () => {
    const password = 'electron-secret-91';
    const settings = { wsServer: 'wss://pbx.court.example:8443', sipUri: 'sip:8001@pbx.court.example' };
    expect(await call('phoneSettingsSave', { settings, password })).toMatchObject({
      ok: true,
      value: { hasPassword: true, source: 'user' },
    });
    const file = path.join(process.env.DESK_DATA_DIR!, 'sip-password.enc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).toString()).not.toContain(password);
    expect(await call('phoneCredentials', {})).toEqual({ ok: true, value: { password } });
    const res = await fetchApp('app://desk/index.html');
    expect(res.headers.get('content-security-policy')).toBe(rendererCsp(['wss://pbx.court.example:8443']));
  });
});

describe('the hub session in Electron', () => {
  let hub: HubProcess;
  let hubDir: string;
  beforeAll(async () => {
    hubDir = await hubStore(null);
    hub = await startHubProcess(hubDir);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    if (hubDir) rmSync(hubDir, { recursive: true, force: true });
  });
  const call = (name: unknown, params: unknown) =>
    state.ipcHandlers.get('desk:call')!(
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      name,
      params,
    );

  it('keeps the token sealed by safeStorage in an owner-only file, like the SIP password; no plain copy', async () => {
    expect(existsSync(state.leftoverHubToken)).toBe(false);
    const login = await call('hubLogin', { url: hub.url, username: 'demo.zhang', password: DEMO_PASSWORD });
    expect(login).toMatchObject({ ok: true, value: { user: { username: 'demo.zhang' } } });
    const file = path.join(process.env.DESK_DATA_DIR!, 'hub-session.enc');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = readFileSync(file).toString();
    expect(sealed.startsWith('sealed:')).toBe(true);
    expect(sealed).not.toContain('"token"');
    // The stand-in keychain opens it: the session the desk signed in with, and its token works on the hub.
    const stored = JSON.parse(electron.safeStorage.decryptString(readFileSync(file)));
    expect(stored).toMatchObject({ url: hub.url, user: { username: 'demo.zhang' } });
    const me = await fetch(`${hub.url}/auth/me`, { headers: { authorization: `Bearer ${stored.token}` } });
    expect(me.status).toBe(200);
    expect(existsSync(state.leftoverHubToken)).toBe(false);
    expect(await call('hubLogout', {})).toMatchObject({ ok: true });
    expect(existsSync(file)).toBe(false);
  });
});

describe('hardening', () => {
  it('blocks navigation and redirects away from app://desk, new windows and webviews', () => {
    const contents = new EventEmitter() as any;
    contents.setWindowOpenHandler = (fn: Handler) => (contents.windowOpenHandler = fn);
    electron.app.emit('web-contents-created', {}, contents);
    const fire = (name: string, url: string) => {
      const event = { url, preventDefault: vi.fn() };
      contents.emit(name, event);
      return event.preventDefault.mock.calls.length > 0;
    };
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(fire(name, 'https://evil.example/'), name).toBe(true);
      expect(fire(name, 'file:///etc/passwd'), name).toBe(true);
      expect(fire(name, 'app://desk/index.html'), name).toBe(false);
    }
    expect(contents.windowOpenHandler({ url: 'https://court.gov.cn/' })).toEqual({ action: 'deny' });
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('grants only the microphone to our origin', () => {
    const ask = (permission: string, details: object) => {
      let granted: boolean | undefined;
      state.permissionRequest!(win.webContents, permission, (g: boolean) => (granted = g), details);
      return granted;
    };
    const ours = { requestingUrl: 'app://desk/index.html', isMainFrame: true };
    expect(ask('media', { ...ours, mediaTypes: ['audio'] })).toBe(true);
    expect(ask('media', { ...ours, mediaTypes: ['video'] })).toBe(false);
    expect(ask('notifications', ours)).toBe(false);
    expect(
      ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['audio'] }),
    ).toBe(false);
    expect(
      state.permissionCheck!(win.webContents, 'media', 'app://desk/', {
        mediaType: 'audio',
        isMainFrame: true,
      }),
    ).toBe(true);
    expect(state.permissionCheck!(win.webContents, 'geolocation', 'app://desk/', { isMainFrame: true })).toBe(
      false,
    );
    expect(state.devicePermission!({})).toBe(false);
  });
});

describe('lifecycle', () => {
  it('quits when the last window closes (not on macOS) and closes the back end once on quit', () => {
    electron.app.emit('window-all-closed');
    expect(state.quit).toBe(process.platform === 'darwin' ? 0 : 1);
    electron.app.emit('will-quit');
    electron.app.emit('will-quit');
    expect(state.closed).toBe(1);
    expect(state.ipcHandlers.has('desk:call')).toBe(false);
  });
});
