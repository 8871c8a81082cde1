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
import { startStorageMonitor } from '../evidence/storageMonitor';
import { DEFAULT_STORAGE_THRESHOLDS, type StorageThresholds } from '../evidence/storageLevel';
import { createPhoneHandlers } from '../api/phoneHandlers';
import { createRecordingHandlers } from '../api/recordingHandlers';
import { createPhoneSettings, type ProvidedAccount } from '../phone/phoneSettings';
import { createFileSecretStore, type SecretStore } from '../phone/secretStore';
import { createWriteGate } from '../store/writeGate';
import { createIntakeHandlers } from '../api/intakeHandlers';
import { createImportRunner } from '../intake/importRunner';
import type { ChunkSize } from '../intake/chunkedImport';
import type { WorkerLaunch } from '../intake/importWorkerEntry';
import type { DeskEmit } from '../api/dispatcher';
import { systemClock, type Clock } from './clock';
import { createLogger } from './logger';

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
}

export const DB_FILE_NAME = 'desk.sqlite';
export const RECORDINGS_DIR_NAME = 'recordings';
export const SIP_PASSWORD_FILE_NAME = 'sip-password';

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
  const emit: DeskEmit = (event, payload) => events.emit('event', event, payload);
  const gate = createWriteGate(db);
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
  const recorder = createRecorder({
    db,
    write: gate.write,
    audit,
    calls,
    dir: join(options.dataDir, RECORDINGS_DIR_NAME),
    actor: config.specialist.id,
    nowIso,
    log: createLogger('evidence'),
  });
  // Whatever a crash, a reload or a kill left open is finalised now: kept, hashed, marked incomplete.
  recorder.finaliseLeftOpen();
  const storage = startStorageMonitor({
    dir: options.dataDir || '.',
    thresholds: options.storageThresholds ?? DEFAULT_STORAGE_THRESHOLDS,
    onChange: (status) => emit('storageChanged', status),
  });
  const handlers = {
    ...createDeskHandlers({
      db,
      audit,
      tasks: createTaskStore(db, audit),
      queue: createQueueQueries(db),
      intake,
      clock,
      config,
      write: gate.write,
      calls,
      dialPrefixes: () => phone.settings()?.dialPrefixes ?? { mobile: '', landline: '' },
      emit,
    }),
    ...createPhoneHandlers({
      db,
      write: gate.write,
      audit,
      calls,
      phone,
      clock,
      actor: config.specialist.id,
    }),
    ...createRecordingHandlers({
      recorder,
      checkStorage: () => storage.check(),
      log: createLogger('evidence'),
    }),
    ...createIntakeHandlers({
      imports,
      emit,
      nowIso: () => clock.now().toISOString(),
      actor: config.specialist.id,
    }),
  };
  const dispatch = createDispatch(handlers, createLogger('api'));
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
      storage.stop();
      imports.close();
      events.removeAllListeners();
      recorder.close();
      db.close();
    },
  };
}
