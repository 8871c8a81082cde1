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
import { createCallStore } from '../store/callStore';
import { createRecorder } from '../evidence/recordings';
import { createProofFiling, PROOFS_DIR_NAME } from '../receipts/proofFiling';
import { withAuditExcerpts } from '../receipts/proofExcerpts';
import { createProofHandlers } from '../api/proofHandlers';
import { startStorageMonitor } from '../evidence/storageMonitor';
import { DEFAULT_STORAGE_THRESHOLDS, type StorageThresholds } from '../evidence/storageLevel';
import { createPhoneHandlers } from '../api/phoneHandlers';
import { createRecordingHandlers } from '../api/recordingHandlers';
import { createPhoneSettings, type ProvidedAccount } from '../phone/phoneSettings';
import { createWriteGate } from '../store/writeGate';
import { createIntakeHandlers } from '../api/intakeHandlers';
import { createImportRunner } from '../intake/importRunner';
import type { ChunkSize } from '../intake/chunkedImport';
import type { WorkerLaunch } from '../intake/importWorkerEntry';
import type { DeskEmit } from '../api/dispatcher';
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
import { createSendHandlers } from '../api/sendHandlers';
import { createConsents } from '../send/consents';
import { createSendPoster } from '../send/sendPoster';
import { createSendStore } from '../send/sendStore';

export interface OpenDeskOptions {
  /** Folder for the database and the evidence (recordings/). The database goes elsewhere with `dbPath`. */
  dataDir: string;
  dbPath?: string;
  specialistName?: string;
  callerNumber?: string;
  clock?: Clock;
  callingHours?: CallingHours;
  retryPolicy?: RetryPolicy;
  /** Where the SIP password is kept; an owner-only file in the data folder by default. */
  secretStore?: SecretStore;
  /** The SIP account given with the host's --settings FILE. */
  sipAccount?: ProvidedAccount;
  /** The local demo line (or why there is none), offered when no account is configured. */
  demoLine?: ProvidedAccount | { unavailable: string };
  storageThresholds?: StorageThresholds;
  /** Chunk size of imports (tests); defaults in main/intake/chunkedImport.ts. */
  importChunks?: ChunkSize;
  /** Where the import worker's code is; found by resolveImportWorker() when not given. */
  importWorker?: WorkerLaunch;
  /** The hub (`--hub-url`), and the embedded demo hub's accounts when `npm start` runs one. */
  hub?: HubSessionOptions;
  /** Where the hub session token is kept; default: an owner-only file in the data dir. */
  secrets?: SecretStore;
  /** Sync timing (tests make it quick). */
  sync?: { pollMs?: number; backoff?: { baseMs?: number; maxMs?: number } };
  /** Start-up instrumentation: called as each phase of opening ends. */
  onPhase?: (phase: 'databaseOpened' | 'backendReady') => void;
}

export const DB_FILE_NAME = 'desk.sqlite';
export const RECORDINGS_DIR_NAME = 'recordings';
export const SIP_PASSWORD_FILE_NAME = 'sip-password';
export const HUB_SESSION_FILE_NAME = 'hub-session.secret';

/** Opens the desk's back end: the store, the service, and the dispatch both adapters call. */
export function openDesk(options: OpenDeskOptions): DeskBackend {
  const dbPath = options.dbPath ?? join(options.dataDir, DB_FILE_NAME);
  if (!options.dbPath) mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(dbPath);
  options.onPhase?.('databaseOpened');
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
  // Read at each action: signing in to a hub changes who acts.
  const actorOf = () => config.specialist.id;
  const emit: DeskEmit = (event, payload) => events.emit('event', event, payload);
  const gate = createWriteGate(db);
  const tasks = createTaskStore(db, audit);
  const intake = createIntakeWriter(db, audit);
  // Imports run in a worker on their own connection; an in-memory database has only this one.
  const inMemory = dbPath === ':memory:' || dbPath === '';
  const imports = createImportRunner(
    inMemory
      ? { kind: 'in-process', writer: intake }
      : { kind: 'worker', dbPath, gate, launch: options.importWorker },
    createLogger('intake'),
    options.importChunks,
  );
  const nowIso = () => clock.now().toISOString();
  const calls = createCallStore(db);
  const phone = createPhoneSettings({
    db,
    write: gate.write,
    secrets: options.secretStore ?? createFileSecretStore(join(options.dataDir, SIP_PASSWORD_FILE_NAME)),
    fileAccount: options.sipAccount,
    demoLine: options.demoLine,
    log: createLogger('phone'),
  });
  const storage = startStorageMonitor({
    dir: options.dataDir || '.',
    thresholds: options.storageThresholds ?? DEFAULT_STORAGE_THRESHOLDS,
    onChange: (status) => emit('storageChanged', status),
  });
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
  const blobs = createBlobUploads(db, gate.write);
  const outbox = createOutbox(db, {
    currentUserId: () => session.current()?.user.id ?? session.lastUserId(),
    onEnqueue: () => engine?.nudge(),
    blobs,
  });
  // Electronic service (issue 8): consents and their facts, the desk's sends, the pulled messages.
  const sends = createSendStore(db);
  const consents = createConsents(db, {
    calls,
    audit,
    sync: outbox.recorder,
    write: gate.write,
    actorOf,
    recordIdOf: tasks.recordIdOf,
  });
  const flushConsents = () => {
    try {
      consents.flush(nowIso());
    } catch (error) {
      syncLog.error({ err: error }, 'consent facts could not be queued; next finalisation tries again');
    }
  };
  const sendsChanged = (taskId: number) => emit('sendsChanged', { taskId });
  // Proofs of service (issue 9): rendered when a hub task is delivered, sealed by the hub.
  const proofsDir = join(options.dataDir, PROOFS_DIR_NAME);
  const receiptsLog = createLogger('receipts');
  const proofs = createProofFiling({
    db,
    write: gate.write,
    audit,
    // Each proof fact carries its task's audit excerpt (for the hub's evidence bundle).
    sync: withAuditExcerpts(outbox.recorder, { db, blobs, dir: proofsDir, log: receiptsLog }),
    blobs,
    dir: proofsDir,
    hubUrl: () => session.hubUrl(),
    specialist: () => config.specialist,
    callingNumber: () => config.callerNumber,
    nowIso,
    log: receiptsLog,
  });
  const fileProofs = () =>
    proofs.fileMissing().catch((err: unknown) => syncLog.error({ err }, 'filing proofs failed'));
  const writeSnapshots = createSnapshotWriter(db, {
    tasks,
    audit,
    intake,
    onSnapshot: (taskId, snapshot, at) => {
      if (sends.saveHubView(taskId, snapshot, at)) sendsChanged(taskId);
      proofs.rememberSnapshot(taskId, snapshot, at);
    },
  });
  engine = createSyncEngine({
    session,
    outbox,
    sends: createSendPoster({
      sends,
      audit,
      write: gate.write,
      log: createLogger('send'),
      onChanged: sendsChanged,
    }),
    snapshots: writeSnapshots,
    // After each cycle's pull: render proofs for newly delivered tasks, upload, fetch sealed ones.
    blobs: {
      ...blobs,
      async uploadAll(hub, at) {
        await fileProofs();
        const uploaded = await blobs.uploadAll(hub, at);
        await proofs.downloadSealed(hub);
        return uploaded;
      },
    },
    write: gate.write,
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
  const recorder = createRecorder({
    db,
    write: gate.write,
    audit,
    calls,
    dir: join(options.dataDir, RECORDINGS_DIR_NAME),
    actorOf,
    nowIso,
    log: createLogger('evidence'),
    sync: outbox.recorder,
  });
  // Whatever a crash, a reload or a kill left open is finalised now: kept, hashed, marked incomplete
  // (after the outbox exists: a hub task's recording is queued for the hub like any other).
  recorder.finaliseLeftOpen();
  // The consents waiting on those recordings go now.
  flushConsents();

  const handlers = {
    ...createDeskHandlers({
      db,
      audit,
      tasks,
      queue: createQueueQueries(db),
      intake,
      clock,
      config,
      write: gate.write,
      calls,
      dialPrefixes: () => phone.settings()?.dialPrefixes ?? { mobile: '', landline: '' },
      emit,
      sync: outbox.recorder,
      consents,
    }),
    ...createPhoneHandlers({
      db,
      write: gate.write,
      audit,
      calls,
      phone,
      clock,
      actorOf,
      sync: outbox.recorder,
    }),
    ...createRecordingHandlers({
      // A finalised recording lets the consent given on its call go to the hub.
      recorder: {
        ...recorder,
        finish: (recordingId, reason) => {
          const view = recorder.finish(recordingId, reason);
          flushConsents();
          return view;
        },
      },
      checkStorage: () => storage.check(),
      log: createLogger('evidence'),
    }),
    ...createIntakeHandlers({
      imports,
      emit,
      nowIso: () => clock.now().toISOString(),
      actorOf,
      session,
      nudgeSync: () => engine.nudge(),
    }),
    ...createSyncHandlers({ db, session, engine, outbox, sends }),
    ...createLeadHandlers({ db, session, engine, clock }),
    ...createSendHandlers({
      db,
      tasks,
      audit,
      consents,
      sends,
      outbox,
      session,
      clock,
      write: gate.write,
      actorOf,
      emit,
      nudgeSync: () => engine.nudge(),
    }),
    ...createProofHandlers({ proofs }),
  };
  const dispatch = createDispatch(handlers, createLogger('api'));
  engine.start();
  // Offline too: a task delivered on this desk gets its unsealed proof without waiting for the hub.
  const proofTimer = setInterval(fileProofs, options.sync?.pollMs ?? 5_000);
  proofTimer.unref();
  options.onPhase?.('backendReady');
  return {
    dispatch,
    onEvent(listener: DeskEventListener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    connectSources() {
      const origin = phone.wsOrigin();
      return origin ? [origin] : [];
    },
    close() {
      clearInterval(proofTimer);
      storage.stop();
      imports.close();
      engine.dispose();
      events.removeAllListeners();
      recorder.close();
      db.close();
    },
  };
}
