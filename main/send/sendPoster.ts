import { createHubClient, HubRequestError, type FetchLike } from '../../common/sync/hubClient';
import type { AuditLog } from '../store/auditLog';
import type { Logger } from '../app/logger';
import { HubRefusal, HubUnreachable } from '../sync/hubClient';
import type { SendStore } from './sendStore';

// Posts the desk's queued sends to the hub (POST /send/messages), called by the sync engine after
// each push: a send goes only once every outbox operation made before it has been settled by the
// hub (the consent must be there first), in the order they were queued. The hub makes its messages
// once per send id, so a send posted again after a lost answer never sends twice. A refusal (4xx)
// is final and kept with its reason; anything else leaves the send queued for the next cycle.

const REQUEST_TIMEOUT_MS = 20_000;

/** Global fetch with a timeout, as the common client takes it. */
export const timedFetch: FetchLike = (url, init) =>
  fetch(url, {
    method: init.method,
    headers: init.headers,
    body: init.body instanceof Uint8Array ? new Uint8Array(init.body) : init.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });

export interface SendPosterDeps {
  sends: SendStore;
  audit: AuditLog;
  /** One write transaction through the desk's write gate. */
  write<T>(fn: () => T): T;
  log: Logger;
  onChanged(taskId: number): void;
  fetch?: FetchLike;
}

export function createSendPoster(deps: SendPosterDeps) {
  const { sends } = deps;
  return {
    /** Posts what is ready; answers how many sends the hub settled. Throws HubUnreachable to stop. */
    async postReady(
      hub: { url: string; token: string },
      clientId: string,
      nowIso: () => string,
    ): Promise<number> {
      const client = createHubClient({ baseUrl: hub.url, token: hub.token, fetch: deps.fetch ?? timedFetch });
      let settled = 0;
      for (const send of sends.queued(clientId)) {
        const first = sends.firstPendingMutation(clientId);
        // Operations made before this send are still on their way: it waits (and so do later sends).
        if (first !== null && first <= send.afterMutationId) break;
        try {
          const answer = await client.sendMessages(send.request);
          const at = nowIso();
          deps.write(() => {
            if (!sends.accepted(send.sendId, answer, at)) return;
            deps.audit.append({
              at,
              actor: 'hub',
              type: 'send.accepted',
              taskId: send.taskId,
              data: {
                sendId: send.sendId,
                replayed: answer.replayed,
                messages: answer.messages.map((m) => ({ id: m.id, channel: m.channel, status: m.status })),
              },
            });
          });
        } catch (error) {
          // The session ended: the engine signs out, and the send waits for the next sign-in.
          if (error instanceof HubRequestError && error.status === 401)
            throw new HubRefusal(401, 'unauthorized', error.message);
          const refusal = error instanceof HubRequestError && error.status >= 400 && error.status < 500;
          if (!refusal || error.status === 408 || error.status === 429) {
            const message = error instanceof Error ? error.message : String(error);
            deps.write(() => sends.tried(send.sendId, message));
            throw new HubUnreachable(`POST /send/messages: ${message}`);
          }
          const at = nowIso();
          deps.log.warn(
            { sendId: send.sendId, code: error.code, err: error.message },
            'the hub refused a send',
          );
          deps.write(() => {
            if (!sends.refused(send.sendId, error.code, error.message, at)) return;
            deps.audit.append({
              at,
              actor: 'hub',
              type: 'send.refused',
              taskId: send.taskId,
              data: { sendId: send.sendId, code: error.code, message: error.message },
            });
          });
        }
        settled += 1;
        deps.onChanged(send.taskId);
      }
      return settled;
    },
    queuedCount: () => sends.queuedCount(),
  };
}
export type SendPoster = ReturnType<typeof createSendPoster>;
