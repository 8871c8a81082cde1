// Pure decisions behind the Electron shell's security: which origins are ours, which file an
// app:// request may read, which permission requests pass, which IPC senders are answered.
// Nothing here imports Electron, so every rule is unit-tested in plain Node (policy.test.ts);
// security.ts, protocol.ts and ipc.ts only wire these answers into Electron's hooks.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The origin of a URL as Chromium serializes it ("app://desk", "http://127.0.0.1:5173"), or null.
 * Node's URL reports "null" as the origin of any non-special scheme such as app:, so our scheme is
 * handled here explicitly; only app:, http: and https: can ever be trusted.
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) {
    return parsed.host ? `${APP_SCHEME}://${parsed.host.toLowerCase()}` : null;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  return null;
}

export function isTrustedUrl(url: string | null | undefined, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && trustedOrigins.includes(origin);
}

export interface EntryPoint {
  /** What the main window loads. */
  url: string;
  /** Origins whose pages may talk to main, navigate, and ask for the microphone. */
  trustedOrigins: string[];
  /** Set when a dev URL was given but refused (packaged app, or not an http(s) URL). */
  refusedDevUrl?: string;
}

/**
 * The packaged app always loads app://desk/index.html. A development server (`DESK_DEV_URL`, e.g.
 * Vite's http://127.0.0.1:5173/) is honoured only when the app is not packaged.
 */
export function resolveEntryPoint(isPackaged: boolean, devUrl: string | undefined): EntryPoint {
  const fallback: EntryPoint = { url: APP_ENTRY_URL, trustedOrigins: [APP_ORIGIN] };
  if (!devUrl) return fallback;
  const origin = originOf(devUrl);
  if (isPackaged || origin === null || origin.startsWith(`${APP_SCHEME}:`)) {
    return { ...fallback, refusedDevUrl: devUrl };
  }
  return { url: devUrl, trustedOrigins: [APP_ORIGIN, origin] };
}

// ---------------------------------------------------------------------------------------------
// app:// files

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.webm': 'audio/webm',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetLookup = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps an app://desk/… request to a file inside `rendererDir`, or refuses it. Refused: another
 * scheme or host, undecodable or NUL-bearing paths, and anything that resolves outside the
 * renderer directory (`..`, encoded `%2e%2e%2f`, backslashes, absolute paths). `/` means index.html.
 * Whether the file exists is the caller's business (404 then).
 */
export function resolveAssetPath(
  rendererDir: string,
  requestUrl: string,
  pathImpl: path.PlatformPath = path,
): AssetLookup {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST)
    return { ok: false, status: 403 };
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (relative.includes('\0')) return { ok: false, status: 400 };
  relative = relative.replace(/^\/+/, '');
  if (relative === '') relative = 'index.html';
  // Each segment is checked before joining, so neither separator style can climb out.
  const segments = relative.split(/[\\/]+/);
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:$/.test(s)))
    return { ok: false, status: 403 };
  const root = pathImpl.resolve(rendererDir);
  const file = pathImpl.resolve(root, ...segments);
  const rel = pathImpl.relative(root, file);
  if (rel === '' || rel.startsWith('..') || pathImpl.isAbsolute(rel)) return { ok: false, status: 403 };
  return { ok: true, file };
}

// ---------------------------------------------------------------------------------------------
// Permissions: the softphone needs the microphone; nothing else is ever granted.

export interface PermissionRequestFacts {
  requestingUrl?: string;
  isMainFrame?: boolean;
  mediaTypes?: readonly string[];
  securityOrigin?: string;
}

/** A permission *request* (the page asks, e.g. getUserMedia): only audio-only media from our own main frame. */
export function allowPermissionRequest(
  permission: string,
  facts: PermissionRequestFacts,
  trustedOrigins: readonly string[],
): boolean {
  if (permission !== 'media') return false;
  const types = facts.mediaTypes ?? [];
  if (types.length === 0 || !types.every((t) => t === 'audio')) return false;
  if (facts.isMainFrame === false) return false;
  if (!isTrustedUrl(facts.requestingUrl, trustedOrigins)) return false;
  if (facts.securityOrigin !== undefined && !isTrustedUrl(facts.securityOrigin, trustedOrigins)) return false;
  return true;
}

export interface PermissionCheckFacts {
  mediaType?: string;
  securityOrigin?: string;
  isMainFrame?: boolean;
  embeddingOrigin?: string;
}

/** A permission *check* (Chromium asks whether a permission is held): same rule as requests. */
export function allowPermissionCheck(
  permission: string,
  requestingOrigin: string,
  facts: PermissionCheckFacts,
  trustedOrigins: readonly string[],
): boolean {
  if (permission !== 'media') return false;
  if (facts.mediaType !== 'audio') return false;
  if (facts.embeddingOrigin !== undefined) return false; // a cross-origin subframe
  if (!isTrustedUrl(requestingOrigin, trustedOrigins)) return false;
  if (facts.securityOrigin !== undefined && !isTrustedUrl(facts.securityOrigin, trustedOrigins)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// IPC senders

export interface SenderFacts {
  /** `event.senderFrame`: null when the frame navigated away or was destroyed. */
  frame: { url: string; parent: unknown } | null;
  /** Whether `event.sender` belongs to one of the windows this app created. */
  fromOurWindow: boolean;
  /** Whether the frame is that web contents' main frame. */
  isMainFrame: boolean;
}

/** Only the main frame of one of our windows, showing one of our origins, is answered. */
export function isAllowedSender(facts: SenderFacts, trustedOrigins: readonly string[]): boolean {
  if (!facts.frame || !facts.fromOurWindow || !facts.isMainFrame) return false;
  if (facts.frame.parent !== null) return false;
  return isTrustedUrl(facts.frame.url, trustedOrigins);
}

export const SENDER_NOT_ALLOWED = Object.freeze({
  ok: false as const,
  error: Object.freeze({ code: 'invalid_request' as const, message: 'sender not allowed' }),
});
