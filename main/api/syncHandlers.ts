import { DeskFailure, type SyncRejection } from '../../common/contract';
import type { z } from 'zod';
import type { SqliteDatabase } from '../../native/sqlite';
import type { HubSession } from '../sync/hubSession';
import type { SendStore } from '../send/sendStore';
import type { Outbox } from '../sync/outbox';
import type { SyncEngine } from '../sync/syncEngine';
import type { HandlersOf } from './dispatch';

export interface SyncHandlerDeps {
  db: SqliteDatabase;
  session: HubSession;
  engine: SyncEngine;
  outbox: Outbox;
  sends: SendStore;
}

/** Login to the hub, the sync state, and where one task stands with the hub. */
export function createSyncHandlers(
  deps: SyncHandlerDeps,
): HandlersOf<
  'hubSession' | 'hubLogin' | 'hubLogout' | 'syncStatus' | 'syncNow' | 'syncRejections' | 'taskSyncState'
> {
  const { session, engine, outbox } = deps;
  const taskHubState = deps.db.prepare<
    [number],
    { hubId: string | null; assigneeId: string | null; assigneeName: string | null; flagged: number }
  >(
    `SELECT hub_id AS hubId, hub_assignee_id AS assigneeId, assignee AS assigneeName,
            completed_after_reassignment AS flagged FROM tasks WHERE id = ?`,
  );

  return {
    hubSession: () => session.view(),
    hubLogin: async (params) => {
      const view = await session.login(params);
      engine.start();
      return view;
    },
    hubLogout: async () => {
      engine.stop();
      return session.logout();
    },
    syncStatus: () => engine.status(),
    syncNow: async () => {
      if (!session.hubUrl()) throw new DeskFailure('not_configured', 'this desk works without a hub');
      if (!session.current()) throw new DeskFailure('unauthorized', 'sign in to the hub first');
      return engine.syncNow();
    },
    syncRejections: () => outbox.rejections() as z.infer<typeof SyncRejection>[],
    taskSyncState: ({ taskId }) => {
      const row = taskHubState.get(taskId);
      if (!row) throw new DeskFailure('not_found', `task ${taskId} does not exist`);
      const me = session.current()?.user.id ?? session.lastUserId();
      return {
        hubId: row.hubId,
        holder: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
        heldByMe: row.hubId === null || (row.assigneeId !== null && row.assigneeId === me),
        completedAfterReassignment: row.flagged === 1,
        pendingOperations: outbox.pendingForTask(taskId) + deps.sends.queuedForTask(taskId),
      };
    },
  };
}
