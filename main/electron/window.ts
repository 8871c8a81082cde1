// The desk's window(s). Every window is sandboxed, context-isolated and Node-free; the only bridge
// to main is the preload's `window.desk`.
import { app, BrowserWindow } from 'electron';

/** The windows this app created; IPC is answered and events are sent only to these. */
export const deskWindows = new Set<BrowserWindow>();

export interface MainWindowOptions {
  /** dist/electron/preload.cjs */
  preloadPath: string;
  /** app://desk/index.html, or the dev server's URL when unpackaged and DESK_DEV_URL is set. */
  entryUrl: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 680,
    show: false,
    title: '送达工作台 · Delivery Desk',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Developer tools only in development; the packaged desk handles personal data.
      devTools: !app.isPackaged,
    },
  });
  deskWindows.add(win);
  win.on('closed', () => deskWindows.delete(win));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.entryUrl);
  return win;
}

/** Brings the first desk window to the front (a second launch of the app lands here). */
export function focusDeskWindow(): boolean {
  const win = [...deskWindows].find((w) => !w.isDestroyed());
  if (!win) return false;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return true;
}
