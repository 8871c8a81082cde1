import type { SyncStatus } from '../../common/contract';
import { ChangeNotice } from '../../common/sync/protocol';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import { backoffDelay } from './backoff';
import type { BlobUploads } from './blobUploads';
import { createHubClient, HubRefusal, HubUnreachable, type HubClient } from './hubClient';
import type { HubSession } from './hubSession';
import type { Outbox } from './outbox';
import type { SnapshotWriter } from './taskSnapshots';

// Background sync: push the outbox (in batches, a result per operation), pull changed tasks from
// the kept cursor, then upload waiting blobs. After a failure it retries with backoff and jitter;
// when the hub's event stream (GET /sync/events) comes back it syncs at once, and each `changed`
// notice (a new or reassigned task) triggers a sync within moments.

const PUSH_BATCH = 200;
const POLL_MS = 30_000;
const NUDGE_MS = 50;

export interface SyncEngineDeps {
  session: HubSession;
  outbox: Outbox;
  snapshots: SnapshotWriter;
  blobs: BlobUploads;
  clock: Clock;
  log: Logger;
  /**
   * One write transaction through the desk's write gate (main/store/writeGate.ts): an import
   * worker ends its chunk for it, so a pull never waits on busy_timeout behind an import.
   */
  write<T>(fn: () => T): T;
  /** The state changed (for the indicator); `tasksChanged` when local tasks were touched. */
  onStatus(status: SyncStatus, tasksChanged: boolean): void;
  pollMs?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  /** The desk's queued sends, posted after the operations made before them (main/send/sendPoster.ts). */
  sends?: {
    postReady(hub: { url: string; token: string }, clientId: string, nowIso: () => string): Promise<number>;
    /** Sends still only on this desk: they count as changes waiting, like the outbox's rows. */
    queuedCount(): number;
  };
}

export function createSyncEngine(deps: SyncEngineDeps) {
  const { session, outbox, log } = deps;
  const nowIso = () => deps.clock.now().toISOString();
  let running = false;
  let online = false;
  let offlineSince: string | null = null;
  let lastError: string | null = null;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let nudgeTimer: NodeJS.Timeout | undefined;
  let cycle: Promise<void> | null = null;
  let again = false;
  let events: AbortController | null = null;
  // Set when the desk closes: a cycle still in flight must not touch the closed database.
  let disposed = false;
  const alive = () => {
    if (disposed) throw new Disposed();
  };

  function status(): SyncStatus {
    const ops = outbox.totals();
    const blobs = deps.blobs.totals();
    const hubUrl = session.hubUrl();
    const signedIn = session.current();
    const clientId = signedIn ? outbox.client(signedIn.user.id) : null;
    return {
      state: !hubUrl ? 'local_only' : !signedIn ? 'signed_out' : online ? 'online' : 'offline',
      offlineSince: online ? null : offlineSince,
      pendingOperations: ops.n + (deps.sends?.queuedCount() ?? 0),
      pendingMb: Math.round(((ops.bytes + blobs.bytes) / (1024 * 1024)) * 100) / 100,
      pendingUploads: blobs.n,
      lastSyncedAt: clientId?.lastSyncedAt ?? null,
      lastError,
      rejectedOperations: outbox.rejectionCount(),
    };
  }

  function schedule(ms: number) {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(() => background(), ms);
    timer.unref();
  }

  function wentOffline(error: Error) {
    if (online || offlineSince === null) offlineSince = nowIso();
    online = false;
    lastError = error.message;
    failures += 1;
  }

  async function runCycle(): Promise<boolean> {
    alive();
    const signedIn = session.current();
    if (!signedIn) return false;
    const hub = createHubClient({ url: signedIn.url, token: signedIn.token });
    const client = outbox.client(signedIn.user.id);
    let touched = false;
    // Push: every batch answers each operation; stop when nothing more settles.
    for (;;) {
      const rows = outbox.pending(client.clientId, PUSH_BATCH);
      if (rows.length === 0) break;
      const answer = await hub.push(
        client.clientId,
        rows.map((row) => row.operation),
      );
      alive();
      const settled = deps.write(() => outbox.settle(client.clientId, answer.results, nowIso()));
      touched ||= settled > 0;
      if (settled < rows.length) {
        const deferred = answer.results.find((r) => r.status === 'deferred');
        if (settled === 0)
          throw new HubUnreachable(`the hub deferred the queue: ${deferred?.message ?? 'try later'}`);
        break;
      }
    }
    // Sends, once the consent and everything else queued before them is on the hub.
    if (deps.sends) {
      const posted = await deps.sends.postReady(signedIn, client.clientId, nowIso);
      alive();
      touched ||= posted > 0;
    }
    // Pull: from the kept cursor until the hub has no more.
    let cursor = client.pullCursor;
    for (;;) {
      const page = await hub.pull(cursor);
      alive();
      // The page and the cursor after it in one gated write.
      const applied = deps.write(() => {
        const count = page.tasks.length > 0 ? deps.snapshots(page.tasks, nowIso()) : 0;
        outbox.saveCursor(client.clientId, page.cursor, nowIso());
        return count;
      });
      touched ||= applied > 0;
      cursor = page.cursor;
      if (!page.more) break;
    }
    // Blobs last: facts and tasks never wait for bytes.
    await deps.blobs.uploadAll(hub, () => {
      alive();
      return nowIso();
    });
    return touched;
  }

  async function cycleOnce(): Promise<void> {
    let touched = false;
    try {
      touched = await runCycle();
      if (disposed) return;
      online = session.current() !== null;
      offlineSince = null;
      lastError = null;
      failures = 0;
      schedule(deps.pollMs ?? POLL_MS);
    } catch (error) {
      if (disposed) return;
      if (error instanceof HubRefusal && error.status === 401) {
        online = false;
        session.expire();
      } else if (error instanceof HubUnreachable) {
        wentOffline(error);
        log.info({ err: error.message, failures }, 'hub unreachable; will retry');
      } else {
        // A refusal of the whole request, or a bug: keep the queue, say why, retry later.
        lastError = (error as Error).message;
        failures += 1;
        log.error({ err: error }, 'sync cycle failed');
      }
      schedule(backoffDelay(failures, deps.backoff));
    }
    if (!disposed) deps.onStatus(status(), touched);
  }

  /** Runs a sync now (or right after the one running), and answers the state after it. */
  async function syncNow(): Promise<SyncStatus> {
    if (disposed) throw new Disposed();
    if (cycle) {
      again = true;
      await cycle;
      alive();
      return status();
    }
    cycle = (async () => {
      do {
        again = false;
        await cycleOnce();
      } while (again && running);
    })();
    try {
      await cycle;
    } finally {
      cycle = null;
    }
    alive(); // the desk may have closed while the cycle ran
    return status();
  }

  /** A sync nobody awaits (timers, notices): its failure is in the state, never an unhandled rejection. */
  function background() {
    syncNow().catch((error: unknown) => {
      if (!(error instanceof Disposed)) log.error({ err: error }, 'background sync failed');
    });
  }

  function nudge() {
    if (!running || disposed) return;
    clearTimeout(nudgeTimer);
    nudgeTimer = setTimeout(() => background(), NUDGE_MS);
    nudgeTimer.unref();
  }

  /** Holds the hub's event stream open; each (re)connection and each notice triggers a sync. */
  async function listen(controller: AbortController) {
    let streamFailures = 0;
    while (running && !disposed && !controller.signal.aborted) {
      const signedIn = session.current();
      if (!signedIn) return;
      try {
        const response = await createHubClient({ url: signedIn.url, token: signedIn.token }).events(
          controller.signal,
        );
        if (response.status === 401) {
          await response.body?.cancel();
          session.expire();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
        await readEvents(response.body, (event, data) => {
          if (event === 'ready') {
            streamFailures = 0;
            nudge(); // at once on (re)connection
          } else if (event === 'changed' && ChangeNotice.safeParse(safeJson(data)).success) {
            nudge();
          }
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        log.debug({ err: (error as Error).message }, 'event stream lost');
      }
      if (controller.signal.aborted) return;
      // The stream ended: the hub may be gone. Check with a sync, then reconnect with backoff.
      nudge();
      streamFailures += 1;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(streamFailures, deps.backoff)).unref());
    }
  }

  return {
    status,
    syncNow,
    nudge,
    /** Starts (or restarts, after a login) the background loop and the event stream. */
    start() {
      this.stop();
      running = true;
      if (!session.current()) {
        deps.onStatus(status(), false);
        return;
      }
      events = new AbortController();
      void listen(events);
      background();
    },
    stop() {
      running = false;
      online = false;
      clearTimeout(timer);
      clearTimeout(nudgeTimer);
      events?.abort();
      events = null;
    },
    /** For good: the desk is closing. */
    dispose() {
      disposed = true;
      this.stop();
    },
    /** Resolves when no cycle is running (tests, shutdown). */
    idle: async () => {
      while (cycle) await cycle;
    },
  };
}
export type SyncEngine = ReturnType<typeof createSyncEngine>;

class Disposed extends Error {
  constructor() {
    super('the desk closed');
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** Reads a text/event-stream body: calls `on(event, data)` per dispatched event. */
async function readEvents(body: ReadableStream<Uint8Array>, on: (event: string, data: string) => void) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0 || event !== 'message') on(event, data.join('\n'));
    }
  }
}
export type { HubClient };
