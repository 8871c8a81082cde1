// One strict Content-Security-Policy for the renderer, sent by the browser host and by Electron's
// app:// protocol alike. Ant Design injects its CSS-in-JS as <style> tags, hence 'unsafe-inline'
// for styles only; no inline or remote script, no eval, no plugins, no framing.
export function rendererCsp(connectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
