import { randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { ClientFrame, WS_PATH, type ServerFrame } from '../../common/contract';
import type { DeskBackend } from '../api/dispatcher';
import { createLogger } from '../app/logger';
import { rendererCsp } from '../csp';

export interface BrowserHostOptions {
  backend: DeskBackend;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
}

export interface BrowserHost {
  /** Opens the desk: origin plus the per-launch secret in the fragment. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

// Imports arrive as base64 inside one frame; the cap matches the contract's limit.
const MAX_FRAME_BYTES = 72 * 1024 * 1024;

const sameSecret = (given: string, token: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Serves the renderer and the desk contract over a WebSocket on 127.0.0.1, so the desk runs in any
 * Chromium browser and every end-to-end test runs without Electron. No logic lives here: frames
 * are parsed and handed to the same dispatch the Electron adapter uses.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log = createLogger('host');
  const token = randomBytes(32).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  let origin = '';
  const sockets = new Set<WebSocket>();

  app.addHook('onSend', async (_request, reply, payload) => {
    // Per response: the SIP server's WebSocket may change when the account is saved.
    const connectSrc = [origin.replace(/^http/, 'ws'), ...options.backend.connectSources()];
    reply.header('Content-Security-Policy', rendererCsp(connectSrc));
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    return payload;
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  await app.register(fastifyStatic, {
    root: options.rendererDir,
    index: ['index.html'],
    cacheControl: false,
    // Vite names every built asset by its content hash: the browser keeps those for good (and
    // compiles their code from its cache on the next start); index.html, which names them, is
    // asked for again each time, so a new build is never served stale.
    setHeaders: (res, path) =>
      res.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? IMMUTABLE : 'no-cache'),
  });

  app.register(async (scope) => {
    scope.get(
      WS_PATH,
      {
        websocket: true,
        // Checked before the upgrade: a page from another origin, or without the secret, gets no socket.
        preValidation: async (request, reply) => {
          const given = (request.query as Record<string, unknown>).token;
          if (request.headers.origin !== origin) {
            log.warn({ origin: request.headers.origin }, 'refused a socket from a foreign origin');
            return reply.code(403).send({ error: 'origin not allowed' });
          }
          if (typeof given !== 'string' || !sameSecret(given, token)) {
            return reply.code(401).send({ error: 'missing or wrong token' });
          }
        },
      },
      (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('message', async (data) => {
          const reply = (frame: ServerFrame) => socket.send(JSON.stringify(frame));
          let json: unknown;
          try {
            json = JSON.parse(data.toString());
          } catch {
            reply({
              type: 'result',
              id: null,
              result: { ok: false, error: { code: 'invalid_request', message: 'frame is not JSON' } },
            });
            return;
          }
          const frame = ClientFrame.safeParse(json);
          if (!frame.success) {
            const id =
              typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
            const message = `frame breaks the protocol: ${frame.error.issues.map((i) => `${i.path.join('.') || '(frame)'}: ${i.message}`).join('; ')}`;
            reply({ type: 'result', id, result: { ok: false, error: { code: 'invalid_request', message } } });
            return;
          }
          const result = await options.backend.dispatch(frame.data.name, frame.data.params);
          if (socket.readyState === socket.OPEN) reply({ type: 'result', id: frame.data.id, result });
        });
      },
    );
  });

  const unsubscribe = options.backend.onEvent((name, payload) => {
    const text = JSON.stringify({ type: 'event', name, payload } satisfies ServerFrame);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  });

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  origin = `http://${host}:${port}`;
  log.info({ origin }, 'browser host listening');

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const socket of sockets) socket.terminate();
      await app.close();
    },
  };
}
