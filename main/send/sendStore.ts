import { z } from 'zod';
import { LegalEffectSchema, type LegalEffect } from '../../common/domain/legalEffect';
import type { LocalSendView } from '../../common/contract';
import { MessageView, SendRequest, SendResponse } from '../../common/sync/send';
import type { TaskSnapshot } from '../../common/sync/protocol';
import type { SqliteDatabase } from '../../native/sqlite';

// The desk's sends (its outbox for POST /send/messages) and the messages and legal effect of each
// hub task as last pulled (migration 005). Writers run inside the caller's transaction.

export interface SendRow {
  sendId: string;
  taskId: number;
  request: SendRequest;
  clientId: string;
  afterMutationId: number;
  state: LocalSendView['state'];
  checkCode: string | null;
  createdAt: string;
  postedAt: string | null;
  error: string | null;
}

interface RawSendRow extends Omit<SendRow, 'request'> {
  request: string;
}

const COLUMNS = `send_id AS sendId, task_id AS taskId, request, client_id AS clientId,
  after_mutation_id AS afterMutationId, state, check_code AS checkCode, created_at AS createdAt,
  posted_at AS postedAt, error`;

const parseRow = (row: RawSendRow): SendRow => ({
  ...row,
  request: SendRequest.parse(JSON.parse(row.request)),
});

const StoredMessages = z.array(MessageView);

export function createSendStore(db: SqliteDatabase) {
  const insert = db.prepare(
    `INSERT INTO sends (send_id, task_id, request, client_id, after_mutation_id, state, created_at)
     VALUES (@sendId, @taskId, @request, @clientId, @afterMutationId, 'queued', @at)`,
  );
  const ofTask = db.prepare<[number], RawSendRow>(
    `SELECT ${COLUMNS} FROM sends WHERE task_id = ? ORDER BY created_at, send_id`,
  );
  const queued = db.prepare<[string], RawSendRow>(
    `SELECT ${COLUMNS} FROM sends WHERE client_id = ? AND state = 'queued' ORDER BY created_at, send_id`,
  );
  const queuedCount = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sends WHERE state = 'queued'");
  const queuedForTask = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM sends WHERE task_id = ? AND state = 'queued'",
  );
  const accept = db.prepare(
    `UPDATE sends SET state = 'accepted', check_code = @checkCode, answer = @answer, posted_at = @at,
            error = NULL, error_code = NULL WHERE send_id = @sendId AND state = 'queued'`,
  );
  const refuse = db.prepare(
    `UPDATE sends SET state = 'refused', error_code = @code, error = @error, posted_at = @at
      WHERE send_id = @sendId AND state = 'queued'`,
  );
  const tried = db.prepare('UPDATE sends SET tries = tries + 1, error = ? WHERE send_id = ?');
  const firstPending = db.prepare<[string], { id: number | null }>(
    'SELECT min(mutation_id) AS id FROM sync_outbox WHERE client_id = ?',
  );
  const viewOf = db.prepare<[number], { messages: string; legalEffect: string | null }>(
    'SELECT messages, legal_effect AS legalEffect FROM task_hub_views WHERE task_id = ?',
  );
  const saveView = db.prepare(
    `INSERT INTO task_hub_views (task_id, messages, legal_effect, updated_at) VALUES (@taskId, @messages, @effect, @at)
     ON CONFLICT (task_id) DO UPDATE SET messages = excluded.messages, legal_effect = excluded.legal_effect,
       updated_at = excluded.updated_at`,
  );

  return {
    queue(
      row: {
        sendId: string;
        taskId: number;
        request: SendRequest;
        clientId: string;
        afterMutationId: number;
      },
      at: string,
    ) {
      insert.run({ ...row, request: JSON.stringify(row.request), at });
    },
    ofTask: (taskId: number): SendRow[] => ofTask.all(taskId).map(parseRow),
    queued: (clientId: string): SendRow[] => queued.all(clientId).map(parseRow),
    queuedCount: () => queuedCount.get()!.n,
    queuedForTask: (taskId: number) => queuedForTask.get(taskId)!.n,
    accepted: (sendId: string, answer: SendResponse, at: string) =>
      accept.run({ sendId, checkCode: answer.checkCode, answer: JSON.stringify(answer), at }).changes === 1,
    refused: (sendId: string, code: string, error: string, at: string) =>
      refuse.run({ sendId, code, error, at }).changes === 1,
    tried: (sendId: string, error: string) => tried.run(error, sendId),
    /** The lowest mutation id still in the client's outbox; null when it is empty. */
    firstPendingMutation: (clientId: string): number | null => firstPending.get(clientId)?.id ?? null,

    /** The task's messages and effect as last pulled (empty before any). */
    hubView(taskId: number): { messages: MessageView[]; legalEffect: LegalEffect | null } {
      const row = viewOf.get(taskId);
      if (!row) return { messages: [], legalEffect: null };
      return {
        messages: StoredMessages.parse(JSON.parse(row.messages)),
        legalEffect: row.legalEffect === null ? null : LegalEffectSchema.parse(JSON.parse(row.legalEffect)),
      };
    },
    /** Keeps a pulled snapshot's messages and effect; answers whether they changed. */
    saveHubView(taskId: number, snapshot: TaskSnapshot, at: string): boolean {
      const messages = JSON.stringify(snapshot.messages ?? []);
      const effect = snapshot.legalEffect ? JSON.stringify(snapshot.legalEffect) : null;
      const before = viewOf.get(taskId);
      if (before && before.messages === messages && before.legalEffect === effect) return false;
      saveView.run({ taskId, messages, effect, at });
      return true;
    },
  };
}
export type SendStore = ReturnType<typeof createSendStore>;
