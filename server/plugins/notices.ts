import fp from 'fastify-plugin';
import type { HubUser } from '../../common/sync/hubApi';
import type { ChangeNotice } from '../../common/sync/protocol';
import { createLogger } from '../logger';
import { CHANGE_CHANNEL, ChangePayload } from '../store/changes';

declare module 'fastify' {
  interface FastifyInstance {
    notices: ChangeNotices;
  }
}

type Listener = { user: HubUser; send: (notice: ChangeNotice) => void };

export interface ChangeNotices {
  /** Hears every change the user may be concerned with, made through any hub instance. */
  subscribe(user: HubUser, send: (notice: ChangeNotice) => void): () => void;
  readonly listeners: number;
}

const log = createLogger('notices');

/**
 * Relays the database's change notices (LISTEN/NOTIFY) to this instance's connected desks. Leads
 * and admins hear which tasks changed; a specialist hears only that something of theirs changed
 * (a task they hold or held; the pull that follows is scoped to what they may see), so one desk's
 * push does not make the whole team pull.
 */
export default fp(
  async (app) => {
    const listeners = new Set<Listener>();
    const relay = (raw: string) => {
      let payload: ChangePayload;
      try {
        payload = ChangePayload.parse(JSON.parse(raw));
      } catch (error) {
        log.warn({ err: error }, 'ignored a malformed change notice');
        return;
      }
      for (const listener of listeners) {
        const { user } = listener;
        if (user.role !== 'admin' && user.teamId !== payload.teamId) continue;
        if (user.role === 'specialist' && payload.userIds && !payload.userIds.includes(user.id)) continue;
        listener.send({ taskIds: user.role === 'specialist' ? [] : payload.taskIds });
      }
    };
    const stop = await app.db.listen(CHANGE_CHANNEL, relay);
    app.addHook('preClose', async () => {
      listeners.clear();
      await stop();
    });
    app.decorate('notices', {
      subscribe(user, send) {
        const listener = { user, send };
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      get listeners() {
        return listeners.size;
      },
    } satisfies ChangeNotices);
  },
  { name: 'notices', dependencies: ['db'] },
);
