import fp from 'fastify-plugin';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { HubUser, Role } from '../../common/sync/hubApi';
import { HubError } from '../errors';
import { sessionUser } from '../store/accounts';

declare module 'fastify' {
  interface FastifyInstance {
    /** An onRequest hook (before the body is read) that admits a live session whose user has one of `roles`. */
    requireRole(...roles: Role[]): onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    session: { user: HubUser; sessionId: string } | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return header ? (BEARER.exec(header)?.[1] ?? null) : null;
}

/** The signed-in user of a request that passed requireRole. */
export function userOf(request: FastifyRequest): HubUser {
  if (!request.session) throw new HubError('unauthorized', 'sign in first');
  return request.session.user;
}

/**
 * Sessions: `Authorization: Bearer <token>`, looked up by the token's SHA-256; an expired or
 * revoked session is refused like a bad one. Team checks are the stores' business: every query
 * that reads or changes tasks is given the user and filters by their team.
 */
export default fp(
  async (app) => {
    app.decorateRequest('session', null);
    app.decorate('requireRole', (...roles: Role[]): onRequestAsyncHookHandler => {
      const allowed = new Set<Role>(roles);
      return async (request) => {
        const token = bearerToken(request);
        if (!token) throw new HubError('unauthorized', 'a session token is required');
        const session = await sessionUser(app.db, token);
        if (!session) throw new HubError('unauthorized', 'the session is unknown, expired or revoked');
        if (!allowed.has(session.user.role)) {
          throw new HubError('forbidden', `this needs the role ${roles.join(' or ')}`);
        }
        request.session = session;
      };
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
