// The app:// scheme: the packaged renderer is served from app://desk/ and nowhere else. Every
// response, errors included, carries the renderer's Content-Security-Policy.
import { readFile, stat } from 'node:fs/promises';
import { protocol, type CustomScheme } from 'electron';
import { rendererCsp } from '../csp';
import { APP_SCHEME, mimeTypeFor, resolveAssetPath } from './policy';

/** Must be registered before the app is ready. `secure` makes app://desk a secure context (getUserMedia). */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
};

export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

export interface AppProtocolOptions {
  /** The built renderer (dist/renderer); nothing outside it is ever read. */
  rendererDir: string;
  /** Extra connect-src entries for the CSP (none by default); a function is asked per response. */
  connectSrc?: string[] | (() => string[]);
}

/** Installs the app:// handler on the default session. Call once the app is ready. */
export function handleAppProtocol(options: AppProtocolOptions): void {
  const connectSrc = options.connectSrc ?? [];
  // Per response: the SIP server's WebSocket may change when the account is saved.
  const headers = () => ({
    'Content-Security-Policy': rendererCsp(typeof connectSrc === 'function' ? connectSrc() : connectSrc),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string) =>
    new Response(text, { status, headers: { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' } });

  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    const lookup = resolveAssetPath(options.rendererDir, request.url);
    if (!lookup.ok)
      return refuse(
        lookup.status,
        lookup.status === 400 ? 'bad request' : lookup.status === 403 ? 'forbidden' : 'not found',
      );
    try {
      const info = await stat(lookup.file);
      if (!info.isFile()) return refuse(404, 'not found');
      const body = request.method === 'HEAD' ? null : await readFile(lookup.file);
      return new Response(body, {
        status: 200,
        headers: {
          ...headers(),
          'Content-Type': mimeTypeFor(lookup.file),
          'Content-Length': String(info.size),
        },
      });
    } catch {
      return refuse(404, 'not found');
    }
  });
}
