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

export interface OpenDeskOptions {
  /** Folder for the database (and, later, evidence). Ignored when `dbPath` is given. */
  dataDir: string;
  dbPath?: string;
  specialistName?: string;
  callerNumber?: string;
  clock?: Clock;
  callingHours?: CallingHours;
  retryPolicy?: RetryPolicy;
  /** Start-up instrumentation: called as each phase of opening ends. */
  onPhase?: (phase: 'databaseOpened' | 'backendReady') => void;
}

export const DB_FILE_NAME = 'desk.sqlite';

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
  const handlers = createDeskHandlers({
    db,
    audit,
    tasks: createTaskStore(db, audit),
    queue: createQueueQueries(db),
    intake: createIntakeWriter(db, audit),
    clock: options.clock ?? systemClock,
    config,
    emit: (event, payload) => events.emit('event', event, payload),
  });
  const dispatch = createDispatch(handlers, createLogger('api'));
  options.onPhase?.('backendReady');
  return {
    dispatch,
    onEvent(listener: DeskEventListener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    close() {
      events.removeAllListeners();
      db.close();
    },
  };
}
