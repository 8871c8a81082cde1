import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  allowPermissionCheck,
  allowPermissionRequest,
  isAllowedSender,
  isTrustedUrl,
  mimeTypeFor,
  originOf,
  resolveAssetPath,
  resolveEntryPoint,
} from './policy';

const TRUSTED = [APP_ORIGIN];

describe('originOf / isTrustedUrl', () => {
  it('serializes app:// origins as Chromium does (Node alone says "null")', () => {
    expect(new URL('app://desk/index.html').origin).toBe('null');
    expect(originOf('app://desk/index.html')).toBe('app://desk');
    expect(originOf('app://desk/')).toBe('app://desk'); // permission checks pass origins with a slash
    expect(originOf('APP://DESK/x')).toBe('app://desk');
    expect(originOf('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173');
  });

  it('trusts only our origin', () => {
    expect(isTrustedUrl('app://desk/index.html#/queue', TRUSTED)).toBe(true);
    for (const url of [
      'app://evil/index.html',
      'app://desk.evil/index.html',
      'https://desk/',
      'file:///work/main/dist/renderer/index.html',
      'data:text/html,hi',
      'javascript:alert(1)',
      'about:blank',
      '',
      'not a url',
      null,
      undefined,
    ]) {
      expect(isTrustedUrl(url, TRUSTED), String(url)).toBe(false);
    }
  });
});

describe('resolveEntryPoint', () => {
  it('loads app://desk/index.html by default', () => {
    expect(resolveEntryPoint(false, undefined)).toEqual({ url: APP_ENTRY_URL, trustedOrigins: [APP_ORIGIN] });
  });
  it('honours DESK_DEV_URL only when not packaged', () => {
    expect(resolveEntryPoint(false, 'http://127.0.0.1:5173/')).toEqual({
      url: 'http://127.0.0.1:5173/',
      trustedOrigins: [APP_ORIGIN, 'http://127.0.0.1:5173'],
    });
    expect(resolveEntryPoint(true, 'http://127.0.0.1:5173/')).toMatchObject({
      url: APP_ENTRY_URL,
      trustedOrigins: [APP_ORIGIN],
      refusedDevUrl: 'http://127.0.0.1:5173/',
    });
  });
  it('refuses dev URLs that are not http(s)', () => {
    for (const bad of ['file:///tmp/index.html', 'javascript:1', 'nonsense', 'app://other/']) {
      expect(resolveEntryPoint(false, bad)).toMatchObject({
        url: APP_ENTRY_URL,
        trustedOrigins: [APP_ORIGIN],
      });
    }
  });
});

describe('resolveAssetPath', () => {
  const root = path.resolve('/srv/desk/dist/renderer');

  it('maps app://desk paths into the renderer dir', () => {
    expect(resolveAssetPath(root, 'app://desk/index.html')).toEqual({
      ok: true,
      file: path.join(root, 'index.html'),
    });
    expect(resolveAssetPath(root, 'app://desk/')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAssetPath(root, 'app://desk/assets/index-abc.js?v=1#x')).toEqual({
      ok: true,
      file: path.join(root, 'assets', 'index-abc.js'),
    });
    expect(resolveAssetPath(root, 'app://desk/fonts/%E5%AE%8B%E4%BD%93.woff2')).toEqual({
      ok: true,
      file: path.join(root, 'fonts', '宋体.woff2'),
    });
  });

  it('refuses encoded traversal that survives URL parsing', () => {
    for (const url of [
      'app://desk/assets/..%2f..%2fpackage.json',
      'app://desk/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://desk/..%5c..%5cpackage.json',
      'app://desk/assets/%2e%2e%5c%2e%2e%5cpackage.json',
      'app://desk/C:%5cWindows%5cwin.ini',
    ]) {
      expect(resolveAssetPath(root, url), url).toEqual({ ok: false, status: 403 });
    }
  });

  it('keeps dot segments the URL parser resolves, and leading slashes, inside the root', () => {
    // The WHATWG parser collapses plain and %2e dot segments before we see them: never above '/'.
    for (const url of [
      'app://desk/../../package.json',
      'app://desk/%2e%2e/%2e%2e/package.json',
      'app://desk/%2fetc%2fpasswd',
    ]) {
      const r = resolveAssetPath(root, url);
      expect(r.ok, url).toBe(true);
      if (r.ok) expect(r.file.startsWith(root + path.sep), `${url} -> ${r.file}`).toBe(true);
    }
  });

  it('refuses traversal with Windows paths too', () => {
    const winRoot = 'C:\\Program Files\\Delivery Desk\\resources\\app.asar\\dist\\renderer';
    expect(resolveAssetPath(winRoot, 'app://desk/..%5c..%5cpackage.json', path.win32)).toMatchObject({
      ok: false,
    });
    expect(resolveAssetPath(winRoot, 'app://desk/D:%5cx.txt', path.win32)).toMatchObject({ ok: false });
    expect(resolveAssetPath(winRoot, 'app://desk/assets/a.js', path.win32)).toEqual({
      ok: true,
      file: `${winRoot}\\assets\\a.js`,
    });
  });

  it('refuses other hosts, schemes, NUL bytes and bad escapes', () => {
    expect(resolveAssetPath(root, 'app://other/index.html')).toEqual({ ok: false, status: 403 });
    expect(resolveAssetPath(root, 'file:///etc/passwd')).toEqual({ ok: false, status: 403 });
    expect(resolveAssetPath(root, 'app://desk/index.html%00.png')).toEqual({ ok: false, status: 400 });
    expect(resolveAssetPath(root, 'app://desk/%E0%A4%A')).toEqual({ ok: false, status: 400 });
  });
});

describe('mimeTypeFor', () => {
  it('names the renderer build’s types', () => {
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('a/b.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('x.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('f.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('i.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('ring.wav')).toBe('audio/wav');
    expect(mimeTypeFor('x.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('noext')).toBe('application/octet-stream');
  });
});

describe('permissions', () => {
  const ours = { requestingUrl: 'app://desk/index.html', isMainFrame: true };

  it('grants an audio-only media request from our main frame', () => {
    expect(
      allowPermissionRequest(
        'media',
        { ...ours, mediaTypes: ['audio'], securityOrigin: 'app://desk/' },
        TRUSTED,
      ),
    ).toBe(true);
  });

  it('refuses video, mixed, empty media types, subframes and other origins', () => {
    expect(allowPermissionRequest('media', { ...ours, mediaTypes: ['video'] }, TRUSTED)).toBe(false);
    expect(allowPermissionRequest('media', { ...ours, mediaTypes: ['audio', 'video'] }, TRUSTED)).toBe(false);
    expect(allowPermissionRequest('media', { ...ours, mediaTypes: [] }, TRUSTED)).toBe(false);
    expect(allowPermissionRequest('media', { ...ours }, TRUSTED)).toBe(false);
    expect(
      allowPermissionRequest('media', { ...ours, isMainFrame: false, mediaTypes: ['audio'] }, TRUSTED),
    ).toBe(false);
    expect(
      allowPermissionRequest(
        'media',
        { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['audio'] },
        TRUSTED,
      ),
    ).toBe(false);
    expect(
      allowPermissionRequest(
        'media',
        { ...ours, mediaTypes: ['audio'], securityOrigin: 'https://evil.example' },
        TRUSTED,
      ),
    ).toBe(false);
  });

  it('refuses every other permission, even from our origin', () => {
    for (const p of [
      'notifications',
      'geolocation',
      'display-capture',
      'clipboard-read',
      'openExternal',
      'midi',
      'fullscreen',
      'unknown',
    ]) {
      expect(allowPermissionRequest(p, { ...ours, mediaTypes: ['audio'] }, TRUSTED), p).toBe(false);
      expect(
        allowPermissionCheck(p, 'app://desk/', { mediaType: 'audio', isMainFrame: true }, TRUSTED),
        p,
      ).toBe(false);
    }
  });

  it('answers permission checks by the same rule', () => {
    expect(
      allowPermissionCheck('media', 'app://desk/', { mediaType: 'audio', isMainFrame: true }, TRUSTED),
    ).toBe(true);
    expect(
      allowPermissionCheck('media', 'app://desk', { mediaType: 'video', isMainFrame: true }, TRUSTED),
    ).toBe(false);
    expect(
      allowPermissionCheck('media', 'app://desk', { mediaType: 'unknown', isMainFrame: true }, TRUSTED),
    ).toBe(false);
    expect(
      allowPermissionCheck(
        'media',
        'https://evil.example',
        { mediaType: 'audio', isMainFrame: true },
        TRUSTED,
      ),
    ).toBe(false);
    expect(
      allowPermissionCheck(
        'media',
        'app://desk',
        { mediaType: 'audio', isMainFrame: false, embeddingOrigin: 'https://x' },
        TRUSTED,
      ),
    ).toBe(false);
  });
});

describe('isAllowedSender', () => {
  const frame = { url: 'app://desk/index.html', parent: null };
  it('answers the main frame of our window on our origin', () => {
    expect(isAllowedSender({ frame, fromOurWindow: true, isMainFrame: true }, TRUSTED)).toBe(true);
  });
  it('refuses everyone else', () => {
    expect(isAllowedSender({ frame: null, fromOurWindow: true, isMainFrame: false }, TRUSTED)).toBe(false);
    expect(isAllowedSender({ frame, fromOurWindow: false, isMainFrame: true }, TRUSTED)).toBe(false);
    expect(isAllowedSender({ frame, fromOurWindow: true, isMainFrame: false }, TRUSTED)).toBe(false);
    expect(
      isAllowedSender({ frame: { ...frame, parent: {} }, fromOurWindow: true, isMainFrame: true }, TRUSTED),
    ).toBe(false);
    expect(
      isAllowedSender(
        { frame: { url: 'https://evil.example/', parent: null }, fromOurWindow: true, isMainFrame: true },
        TRUSTED,
      ),
    ).toBe(false);
    expect(
      isAllowedSender(
        { frame: { url: 'about:blank', parent: null }, fromOurWindow: true, isMainFrame: true },
        TRUSTED,
      ),
    ).toBe(false);
  });
});
