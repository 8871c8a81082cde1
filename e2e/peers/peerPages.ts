import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

// A tiny HTTP server on 127.0.0.1 for the test peers' pages: the party simulator (bare sip.js) and
// the desk's phone modules in a bare harness page, each bundled by esbuild (sip.js is ESM only).
// It also receives the harness's recording chunks (POST /chunks/NAME/SEQ) into files, so a test
// can decode exactly the bytes the recorder produced, in the order they were sent.

const PAGES = {
  party: resolve(import.meta.dirname, 'pages/partyPage.ts'),
  phone: resolve(import.meta.dirname, 'pages/phoneHarnessPage.ts'),
};
export type PageName = keyof typeof PAGES;

export interface PeerPages {
  url(page: PageName): string;
  /** Where chunks POSTed for `name` are written (seq.bin files). */
  chunkDir(name: string): string;
  stop(): Promise<void>;
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function html(name: string, wsOrigin: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src 'self' ${wsOrigin}; media-src 'self' blob:">
<title>${name}</title></head><body><script type="module" src="/${name}.js"></script></body></html>`;
}

const CHUNK_PATH = /^\/chunks\/([a-z0-9-]{1,40})\/(\d{1,6})$/;

export async function startPeerPages(dir: string, wsOrigin: string): Promise<PeerPages> {
  const scripts = {
    party: await bundle(PAGES.party),
    phone: await bundle(PAGES.phone),
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const page = /^\/(party|phone)\.(html|js)$/.exec(path);
    if (req.method === 'GET' && page) {
      const name = page[1] as PageName;
      const isJs = page[2] === 'js';
      res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html; charset=utf-8' });
      res.end(isJs ? scripts[name] : html(name, wsOrigin));
      return;
    }
    const chunk = CHUNK_PATH.exec(path);
    if (req.method === 'POST' && chunk) {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => {
        const target = join(dir, 'chunks', chunk[1]!);
        mkdirSync(target, { recursive: true });
        writeFileSync(join(target, `${chunk[2]}.bin`), Buffer.concat(parts));
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}.html`,
    chunkDir: (name) => join(dir, 'chunks', name),
    stop: () => new Promise((done) => server.close(() => done())),
  };
}
