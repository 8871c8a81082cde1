// Hardening for every web contents the app creates, and the session's permission policy.
// The decisions themselves live in policy.ts (unit-tested); this file only wires them to Electron.
import { app, type Session } from 'electron';
import { allowPermissionCheck, allowPermissionRequest, isTrustedUrl } from './policy';

/**
 * Every web contents (windows, and any that might appear later): no navigation or redirect away
 * from our origins, no new windows (links to the web are not opened, externally or otherwise),
 * no <webview>. Call before the first window is created.
 */
export function hardenWebContents(trustedOrigins: readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event) => {
      if (!isTrustedUrl(event.url, trustedOrigins)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isTrustedUrl(event.url, trustedOrigins)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isTrustedUrl(event.url, trustedOrigins)) event.preventDefault();
    });
    // Deny all. Should the desk ever need to open a web page, it goes through shell.openExternal
    // for an explicit allow-list of https URLs, never a new Electron window.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** Only the microphone, only for our own origin; every other permission and device is refused. */
export function installPermissionPolicy(session: Session, trustedOrigins: readonly string[]): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const facts = details as {
      requestingUrl?: string;
      isMainFrame?: boolean;
      mediaTypes?: string[];
      securityOrigin?: string;
    };
    callback(allowPermissionRequest(permission, facts, trustedOrigins));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    allowPermissionCheck(permission, requestingOrigin, details, trustedOrigins),
  );
  // WebUSB, WebHID, Web Serial: never (their permission checks are already refused above).
  session.setDevicePermissionHandler(() => false);
}
