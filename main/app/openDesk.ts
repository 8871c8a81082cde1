import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { DEFAULT_CALLING_HOURS, type CallingHours } from '../../common/domain/callingHours';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../common/domain/retryPolicy';
import { COURT_TIME_ZONE } from '../../common/domain/time';
import { createDeskHandlers, type DeskConfig } from '../api/deskService';
import { createDispatch } from '../api/dispatch';
import type { DeskBackend, DeskEventListener } from '../api/dispatcher';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { createTaskStore } from '../store/taskStore';
import { createQueueQueries } from '../store/queueQueries';
import { createIntakeWriter } from '../store/intakeWriter';
import { systemClock, type Clock } from './clock';
import { createLogger } from './logger';
import { createFileSecretStore, memorySecretStore, type SecretStore } from './secretStore';
import { createSyncHandlers } from '../api/syncHandlers';
import { createLeadHandlers } from '../api/leadHandlers';
import { createOutbox } from '../sync/outbox';
import { createSnapshotWriter } from '../sync/taskSnapshots';
import { createBlobUploads } from '../sync/blobUploads';
import { createHubSession, type HubSessionOptions } from '../sync/hubSession';
import { createSyncEngine } from '../sync/syncEngine';
import type { HubUser } from '../../common/sync/hubApi';

export interface OpenDeskOptions {
  /** Folder for the database (and, later, evidence). Ignored when `dbPath` is given. */
  dataDir: string;
  dbPath?: string;
  specialistName?: string;
  callerNumber?: string;
  clock?: Clock;
  callingHours?: CallingHours;
  retryPolicy?: RetryPolicy;
  /** The hub (`--hub-url`), and the embedded demo hub's accounts when `npm start` runs one. */
  hub?: HubSessionOptions;
  /** Where the hub session token is kept; default: an owner-only file in the data dir. */
  secrets?: SecretStore;
  /** Sync timing (tests make it quick). */
  sync?: { pollMs?: number; backoff?: { baseMs?: number; maxMs?: number } };
}

export const DB_FILE_NAME = 'desk.sqlite';
export const HUB_SESSION_FILE_NAME = 'hub-session.secret';

/** Opens the desk's back end: the store, the service, and the dispatch both adapters call. */
export function openDesk(options: OpenDeskOptions): DeskBackend {
  const dbPath = options.dbPath ?? join(options.dataDir, DB_FILE_NAME);
  if (!options.dbPath) mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(dbPath);
  const audit = createAuditLog(db);
  const events = new EventEmitter();
  const name = options.specialistName ?? '送达专员';
  const config: DeskConfig = {
    specialist: { id: `local:${name}`, name },
    callerNumber: options.callerNumber ?? '0473-12368',
    timeZone: COURT_TIME_ZONE,
    callingHours: options.callingHours ?? DEFAULT_CALLING_HOURS,
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
  };
  const clock = options.clock ?? systemClock;
  const tasks = createTaskStore(db, audit);
  const intake = createIntakeWriter(db, audit);
  const emit = (event: string, payload: unknown) => events.emit('event', event, payload);
  const localSpecialist = config.specialist;
  const actAs = (user: HubUser | null) => {
    // Signed in, the hub user is the one who acts (audit actor, attempts' author).
    config.specialist = user ? { id: `hub:${user.username}`, name: user.displayName } : localSpecialist;
  };

  const syncLog = createLogger('sync');
  let engine: ReturnType<typeof createSyncEngine> | null = null;
  const session = createHubSession({
    db,
    secrets:
      options.secrets ??
      (dbPath === ':memory:'
        ? memorySecretStore()
        : createFileSecretStore(`${dbPath}.${HUB_SESSION_FILE_NAME}`)),
    clock,
    log: syncLog,
    options: options.hub ?? {},
    onChange: (user) => {
      actAs(user);
      if (!user) engine?.stop();
      if (engine) emit('syncChanged', engine.status());
    },
  });
  const outbox = createOutbox(db, {
    currentUserId: () => session.current()?.user.id ?? session.lastUserId(),
    onEnqueue: () => engine?.nudge(),
  });
  engine = createSyncEngine({
    session,
    outbox,
    snapshots: createSnapshotWriter(db, { tasks, audit, intake }),
    blobs: createBlobUploads(db),
    clock,
    log: syncLog,
    pollMs: options.sync?.pollMs,
    backoff: options.sync?.backoff,
    onStatus: (status, tasksChanged) => {
      emit('syncChanged', status);
      if (tasksChanged) emit('queueChanged', { reason: 'sync' });
    },
  });
  actAs(session.current()?.user ?? null);

  const handlers = {
    ...createDeskHandlers({
      db,
      audit,
      tasks,
      queue: createQueueQueries(db),
      intake,
      clock,
      config,
      emit,
      sync: outbox.recorder,
    }),
    ...createSyncHandlers({ db, session, engine, outbox }),
    ...createLeadHandlers({ db, session, engine, clock }),
  };
  const dispatch = createDispatch(handlers, createLogger('api'));
  engine.start();
  return {
    dispatch,
    onEvent(listener: DeskEventListener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    close() {
      engine.dispose();
      events.removeAllListeners();
      db.close();
    },
  };
}
