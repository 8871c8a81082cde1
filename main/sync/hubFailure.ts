import { DeskFailure } from '../../common/contract';
import { HubRefusal, HubUnreachable } from './hubClient';
import type { HubSession } from './hubSession';

/**
 * A failed hub call as the desk answers it: out of reach → `hub_unreachable` (with what that
 * means for the feature), the hub's 401 → `unauthorized` (and the session is forgotten: sign in
 * again), 403 / 404 → the same, any other refusal → `refused`; the hub's code in `hubCode`.
 */
export function throwHubFailure(error: unknown, session: HubSession, unreachableMessage: string): never {
  if (error instanceof HubUnreachable) throw new DeskFailure('hub_unreachable', unreachableMessage);
  if (error instanceof HubRefusal) {
    if (error.status === 401) session.expire();
    const code =
      error.status === 401
        ? 'unauthorized'
        : error.status === 403
          ? 'forbidden'
          : error.status === 404
            ? 'not_found'
            : 'refused';
    throw new DeskFailure(code, error.message, { hubCode: error.code });
  }
  throw error;
}
