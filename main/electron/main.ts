// The Electron shell of the desk: lifecycle, the app:// scheme, the window, the IPC adapter.
// Everything the desk *does* lives behind `openDesk` (main/app); this file only hosts it.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import type { DeskBackend } from '../api/dispatcher';
import { createLogger } from '../app/logger';
import { DB_FILE_NAME, HUB_SESSION_FILE_NAME, openDesk } from '../app/openDesk';
import { hubOptionsFromEnv } from '../app/hubOptions';
import { connectDeskIpc } from './ipc';
import { installAppMenu } from './menu';
import { resolveEntryPoint } from './policy';
import { handleAppProtocol, registerAppSchemePrivileges } from './protocol';
import { hardenWebContents, installPermissionPolicy } from './security';
import { createMainWindow, focusDeskWindow } from './window';
import { createSafeStorageSecretStore } from './safeStorageSecret';

// Before `ready`: every renderer sandboxed, our scheme privileged, the data folder chosen.
app.enableSandbox();
registerAppSchemePrivileges();
if (process.env.DESK_DATA_DIR) app.setPath('userData', path.resolve(process.env.DESK_DATA_DIR));

const entry = resolveEntryPoint(app.isPackaged, process.env.DESK_DEV_URL);
// app.getAppPath() is the folder (or app.asar) holding package.json, in development and packaged alike.
const rendererDir = path.join(app.getAppPath(), 'dist', 'renderer');
const preloadPath = path.join(app.getAppPath(), 'dist', 'electron', 'preload.cjs');

const log = createLogger('electron');
let backend: DeskBackend | undefined;
let disconnectIpc: (() => void) | undefined;

function openWindow(): void {
  createMainWindow({ preloadPath, entryUrl: entry.url });
}

function shutdown(): void {
  disconnectIpc?.();
  disconnectIpc = undefined;
  const running = backend;
  backend = undefined;
  try {
    running?.close();
  } catch (err) {
    log.error({ err }, 'closing the back end failed');
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  if (entry.refusedDevUrl) log.warn({ devUrl: entry.refusedDevUrl, url: entry.url }, 'DESK_DEV_URL ignored');
  const dataDir = app.getPath('userData');
  // Desks before this one kept the hub token in a plain 0600 file: removed (the desk signs in again).
  rmSync(path.join(dataDir, `${DB_FILE_NAME}.${HUB_SESSION_FILE_NAME}`), { force: true });
  backend = openDesk({
    dataDir,
    secretStore: createSafeStorageSecretStore(path.join(dataDir, 'sip-password.enc'), 'the SIP password'),
    secrets: createSafeStorageSecretStore(path.join(dataDir, 'hub-session.enc'), 'the hub session'),
    hub: hubOptionsFromEnv(process.env),
  });
  const opened = backend;
  handleAppProtocol({ rendererDir, connectSrc: () => opened.connectSources() });
  installPermissionPolicy(session.defaultSession, entry.trustedOrigins);
  installAppMenu();
  disconnectIpc = connectDeskIpc(backend, entry.trustedOrigins);
  openWindow();
  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another desk is already running on this data folder: it gets focus (second-instance), we leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!focusDeskWindow() && app.isReady() && backend) openWindow();
  });
  hardenWebContents(entry.trustedOrigins);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', shutdown);
  // Ctrl+C in the terminal that started us (npm start), or a service manager's stop: quit cleanly.
  // (`on`, not `once`: a second signal must not fall back to Node's default of dying mid-write.)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  start().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    log.fatal({ err }, 'start-up failed');
    dialog.showErrorBox('送达工作台无法启动 · Delivery Desk could not start', message);
    shutdown();
    app.exit(1);
  });
}
