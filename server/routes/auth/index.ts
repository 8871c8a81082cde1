import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubUser, LoginRequest, LoginResponse, ROLES } from '../../../common/sync/hubApi';
import { HubError } from '../../errors';
import { userOf } from '../../plugins/auth';
import { checkLogin, createSession, revokeSession } from '../../store/accounts';
import { createLogger } from '../../logger';
import { errorResponses, SIGNED_IN } from '../schemas';

const log = createLogger('auth');

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { max, windowMs } = app.config.loginRateLimit;
  app.post(
    '/login',
    {
      schema: {
        summary: 'Password login; answers a session token',
        body: LoginRequest,
        response: { 200: LoginResponse, ...errorResponses(400, 401, 429) },
      },
      config: {
        // Per client address and user name: guessing one account's password, or spraying many
        // accounts from one address, both hit the limit.
        rateLimit: {
          max,
          timeWindow: windowMs,
          hook: 'preHandler',
          keyGenerator: (request) =>
            `${request.ip}|${(request.body as { username?: string }).username ?? ''}`,
          errorResponseBuilder: (_request, context) =>
            new HubError('rate_limited', `too many login attempts; try again in ${context.after}`),
        },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const check = await checkLogin(app.db, username, password);
      if (!check.ok) {
        log.warn({ username, ip: request.ip, locked: check.locked }, 'login refused');
        if (check.locked)
          throw new HubError('rate_limited', 'too many wrong passwords; the account is locked for a while');
        throw new HubError('unauthorized', 'wrong user name or password');
      }
      const { user } = check;
      const session = await createSession(app.db, user.id, app.config.sessionTtlMinutes);
      log.info({ userId: user.id }, 'signed in');
      return { ...session, user };
    },
  );

  app.post(
    '/logout',
    {
      onRequest: app.requireRole(...ROLES),
      schema: {
        summary: 'Revokes the session of this request',
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses(...SIGNED_IN) },
      },
    },
    async (request) => {
      await revokeSession(app.db, request.session!.sessionId);
      return { ok: true as const };
    },
  );

  app.get(
    '/me',
    {
      onRequest: app.requireRole(...ROLES),
      schema: { summary: 'The signed-in user', response: { 200: HubUser, ...errorResponses(...SIGNED_IN) } },
    },
    async (request) => userOf(request),
  );
};

export default authRoutes;
