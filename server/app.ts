import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { HubErrorBody, HubErrorCode } from '../common/sync/hubApi';
import { SYNC_PROTOCOL_VERSION } from '../common/sync/protocol';
import { HubError } from './errors';
import { createLogger } from './logger';
import authPlugin from './plugins/auth';
import bouncesPlugin from './plugins/bounces';
import callbacksPlugin from './plugins/callbacks';
import channelsPlugin from './plugins/channels';
import configPlugin from './plugins/config';
import dbPlugin from './plugins/db';
import noticesPlugin from './plugins/notices';
import proofSealerPlugin from './plugins/proofSealer';
import sealPlugin from './plugins/seal';
import authRoutes from './routes/auth';
import blobRoutes from './routes/blobs';
import intakeRoutes from './routes/intake';
import caseResultRoutes from './routes/intake/results';
import leadRoutes from './routes/lead';
import portalRoutes from './routes/portal';
import sendRoutes from './routes/send';
import syncRoutes from './routes/sync';
import evidenceRoutes from './routes/evidence';
import verifyRoutes from './routes/verify';

export type HubApp = FastifyInstance;

const log = createLogger('http');

const body = (code: HubErrorCode, message: string, details?: unknown): HubErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

const CLIENT_ERRORS: Readonly<Record<number, HubErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
};

/**
 * The hub, built in fastify/demo's order: external plugins (OpenAPI, rate limiting), then the
 * hub's own (config, db, auth, notices), then the routes. Not listening yet: tests call it through
 * `inject`, `server/cli/hub.ts` listens.
 */
export async function buildHub(
  config: unknown,
  server: { https?: { cert: Buffer; key: Buffer } } = {},
): Promise<HubApp> {
  // HEAD only where declared (the blob check), so the OpenAPI description lists it and no other.
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    exposeHeadRoutes: false,
    ...(server.https ? { https: server.https } : {}),
  }) as HubApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // External
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Delivery Desk hub',
        version: `${SYNC_PROTOCOL_VERSION}`,
        description: 'Intake for case systems, sync for desks, the lead console. See common/sync/.',
      },
      components: {
        securitySchemes: {
          session: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
    },
    transform: jsonSchemaTransform,
    exposeHeadRoutes: true,
  });
  await app.register(rateLimit, { global: false });

  // The hub's own plugins
  await app.register(configPlugin, { config });
  // Before the database opens: a seal that cannot be used stops the start with nothing to undo.
  await app.register(sealPlugin);
  await app.register(dbPlugin);
  await app.register(authPlugin);
  await app.register(noticesPlugin);
  await app.register(channelsPlugin);
  await app.register(bouncesPlugin);
  await app.register(proofSealerPlugin);
  await app.register(callbacksPlugin);

  // One error handler: clear 4xx answers, 5xx details only in the log.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HubError) {
      return reply.status(error.statusCode).send(body(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        path: issue.instancePath,
        message: issue.message,
      }));
      return reply
        .status(400)
        .send(body('invalid_request', `invalid ${error.validationContext ?? 'request'}`, issues));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(body(CLIENT_ERRORS[status] ?? 'invalid_request', error.message));
    }
    log.error({ err: error, url: request.url, method: request.method }, 'request failed');
    return reply.status(500).send(body('internal', 'the hub could not do this; see its log'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  // Routes
  const routes = app.withTypeProvider<ZodTypeProvider>();
  await routes.register(authRoutes, { prefix: '/auth' });
  await routes.register(intakeRoutes, { prefix: '/intake' });
  await routes.register(caseResultRoutes, { prefix: '/intake' });
  await routes.register(syncRoutes, { prefix: '/sync' });
  await routes.register(blobRoutes, { prefix: '/blobs' });
  await routes.register(leadRoutes, { prefix: '/lead' });
  await routes.register(sendRoutes, { prefix: '/send' });
  await routes.register(portalRoutes);
  await routes.register(evidenceRoutes, { prefix: '/proofs' });
  await routes.register(verifyRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
