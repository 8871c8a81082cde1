import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubError } from '../errors';

// The hub's public pages (the recipient's portal, the verify page): plain files under
// server/<page>/ — index.html, one script, one stylesheet — served under the page's strict CSP.
// Their shared look (server/pages/base.css) is served in front of each page's stylesheet, so a
// page still loads one stylesheet and the same bytes.

const BASE_CSS = readFileSync(new URL('../pages/base.css', import.meta.url));
const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;

interface Asset {
  type: string;
  body: Buffer;
}

export interface PublicPage {
  /** The page's security headers on a reply (also for its JSON answers). */
  secure(reply: FastifyReply): FastifyReply;
  /** Answers with the page itself. */
  send(reply: FastifyReply): FastifyReply;
  /** `GET <prefix>/:name` for the page's script and stylesheet. */
  serveAssets(app: FastifyInstance, prefix: string): void;
}

/** The page in `dir` with its assets (`.js` or `.css` files in the same folder). */
export function publicPage(dir: URL, assetNames: readonly string[], csp: string): PublicPage {
  const assets = new Map<string, Asset>(
    assetNames.map((name) => {
      const own = readFileSync(new URL(name, dir));
      const css = name.endsWith('.css');
      return [name, { type: css ? TYPES.css : TYPES.js, body: css ? Buffer.concat([BASE_CSS, own]) : own }];
    }),
  );
  const html = readFileSync(new URL('index.html', dir));
  const secure = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', csp)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store');
  return {
    secure,
    send: (reply) => secure(reply).type('text/html; charset=utf-8').send(html),
    serveAssets(app, prefix) {
      app
        .withTypeProvider<ZodTypeProvider>()
        .get(
          `${prefix}/:name`,
          { schema: { hide: true, params: z.object({ name: z.string().max(40) }) } },
          async (request, reply) => {
            const asset = assets.get(request.params.name);
            if (!asset) throw new HubError('not_found', 'no such file');
            return secure(reply)
              .header('cache-control', 'public, max-age=3600')
              .type(asset.type)
              .send(asset.body);
          },
        );
    },
  };
}
