import { z } from 'zod';
import {
  DISPOSITIONS,
  METHODS,
  PARTY_KINDS,
  PRIORITIES,
  TASK_STATUSES,
  ADDRESS_SOURCES,
} from '../domain/model';
import { CallFacts, phoneCalls, RecordingView, StorageStatus } from './phone';
import { syncCalls, syncEvents } from './sync';
import { sendCalls, sendEvents } from './send';
import { proofCalls } from './proof';

// The desk API: every call the renderer may make to main, with the schema of its params and of
// its answer. The preload (Electron) and the browser host (WebSocket) expose exactly this.

const Id = z.number().int().positive();
const IsoDateTime = z.iso.datetime({ offset: true });
const IsoDate = z.iso.date();
export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

export const QueueSort = z.enum(['deadline', 'priority']);
export const DueFilter = z.enum(['today', 'overdue', 'callbacks']);
export const QueueFilter = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  method: z.enum(METHODS).optional(),
  due: DueFilter.optional(),
});
export type QueueFilter = z.infer<typeof QueueFilter>;

export const QueuePageParams = z.strictObject({
  filter: QueueFilter.default({}),
  sort: QueueSort.default('deadline'),
  search: z.string().max(100).default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type QueuePageParams = z.input<typeof QueuePageParams>;

export const QueueRow = z.object({
  id: Id,
  caseNumber: z.string(),
  court: z.string(),
  partyName: z.string(),
  partyRole: z.string(),
  status: z.enum(TASK_STATUSES),
  method: z.enum(METHODS),
  priority: z.enum(PRIORITIES),
  deadline: IsoDate.nullable(),
  callbackAt: IsoDateTime.nullable(),
  attempts: z.number().int(),
  phoneMasked: z.string().nullable(),
});
export type QueueRow = z.infer<typeof QueueRow>;
export const QueuePage = z.object({ total: z.number().int(), rows: z.array(QueueRow) });
export type QueuePage = z.infer<typeof QueuePage>;

export const QueueCounts = z.object({
  all: z.number().int(),
  dueToday: z.number().int(),
  overdue: z.number().int(),
  callbacksDue: z.number().int(),
  byStatus: z.partialRecord(z.enum(TASK_STATUSES), z.number().int()),
  byMethod: z.partialRecord(z.enum(METHODS), z.number().int()),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const PhoneView = z.object({
  id: Id,
  /** The number masked, without its extension. */
  masked: z.string(),
  kind: z.enum(['mobile', 'landline']),
  /** Digits dialled after the call is answered (DTMF), e.g. '801'; shown beside the number. */
  extension: z.string().nullable(),
  invalid: z.boolean(),
});
export const AttemptView = z.object({
  id: Id,
  kind: z.enum(['call', 'send', 'postal', 'visit', 'announcement']),
  phoneMasked: z.string().nullable(),
  disposition: z.enum(DISPOSITIONS).nullable(),
  notes: z.string(),
  callbackAt: IsoDateTime.nullable(),
  stepsCompleted: z.array(z.string()),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  actor: z.string(),
  /** The SIP facts of a call made from the desk's softphone; null for a call on a desk phone. */
  call: CallFacts.nullable(),
  recordings: z.array(RecordingView),
});
export const TimelineEntry = z.object({
  seq: z.number().int(),
  at: IsoDateTime,
  type: z.string(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export const TaskDetail = z.object({
  id: Id,
  sourceSystem: z.string(),
  sourceTaskId: z.string(),
  status: z.enum(TASK_STATUSES),
  method: z.enum(METHODS),
  priority: z.enum(PRIORITIES),
  deadline: IsoDate.nullable(),
  callbackAt: IsoDateTime.nullable(),
  nextAttemptAt: IsoDateTime.nullable(),
  notes: z.string(),
  case: z.object({
    number: z.string(),
    cause: z.string(),
    court: z.string(),
    department: z.string(),
    judge: z.string(),
    clerk: z.string(),
  }),
  party: z.object({
    name: z.string(),
    kind: z.enum(PARTY_KINDS),
    role: z.string(),
    idType: z.string(),
    /** False when intake had no ID number: identity is then checked another way (see the script). */
    idKnown: z.boolean(),
    idNumberMasked: z.string(),
    phones: z.array(PhoneView),
    addresses: z.array(z.object({ id: Id, text: z.string(), source: z.enum(ADDRESS_SOURCES) })),
    email: z.string().nullable(),
    representative: z.string().nullable(),
  }),
  documents: z.array(
    z.object({
      id: Id,
      title: z.string(),
      kind: z.string(),
      pages: z.number().int().nullable(),
      sha256: z.string().nullable(),
    }),
  ),
  attempts: z.array(AttemptView),
  timeline: z.array(TimelineEntry),
});
export type TaskDetail = z.infer<typeof TaskDetail>;

/** One step of the call script: what to say (`lines`) and guidance not read aloud (`notes`). */
export const ScriptStep = z.object({
  id: z.string(),
  title: z.string(),
  lines: z.array(z.string()),
  notes: z.array(z.string()),
});
export type ScriptStep = z.infer<typeof ScriptStep>;

import { IntakeReport } from './intakeReport';
export { IntakeReport };

/** A client-chosen id that ties an import to its progress events and to a cancel. */
export const ImportId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'an import id is 8–64 letters, digits, - or _');

export const IMPORT_PHASES = ['queued', 'reading', 'importing', 'done', 'cancelled'] as const;
export const IntakeProgress = z.object({
  importId: z.string(),
  /** queued behind another import · reading (decoding, parsing) · importing (chunks) · the end. */
  phase: z.enum(IMPORT_PHASES),
  rowsRead: z.number().int().nonnegative(),
  totalRows: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Rows rejected (a row with several problems counts once). */
  rejected: z.number().int().nonnegative(),
  /** Time left at the rate so far; null until there is a rate. */
  etaMs: z.number().nonnegative().nullable(),
});
export type IntakeProgress = z.infer<typeof IntakeProgress>;

export const SessionInfo = z.object({
  specialist: z.object({ id: z.string(), name: z.string() }),
  callerNumber: z.string(),
  timeZone: z.string(),
  today: IsoDate,
  taskCount: z.number().int(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

const TaskRef = z.strictObject({ taskId: Id });

/** Every call: name → params schema and result schema. Names are the methods of `window.desk`. */
export const deskCalls = {
  sessionInfo: { params: z.strictObject({}), result: SessionInfo },
  queuePage: { params: QueuePageParams, result: QueuePage },
  queueCounts: { params: z.strictObject({ search: z.string().max(100).default('') }), result: QueueCounts },
  taskGet: { params: TaskRef, result: TaskDetail },
  /**
   * Shows one piece of personal data in full; every reveal is an audit event. A phone is answered
   * without its extension (that is PhoneView.extension); an unknown ID answers id_number_unknown.
   */
  taskReveal: {
    params: z.discriminatedUnion('field', [
      z.strictObject({ taskId: Id, field: z.literal('idNumber') }),
      z.strictObject({ taskId: Id, field: z.literal('phone'), phoneId: Id }),
    ]),
    result: z.object({ value: z.string() }),
  },
  taskScript: { params: z.strictObject({ taskId: Id, locale: Locale }), result: z.array(ScriptStep) },
  /**
   * Before dialling: checks calling hours and the retry policy, then opens a call attempt. An
   * inbound call (the party calling back) skips those checks. `dial` is what the softphone dials:
   * the number with the account's dial prefix, and an extension to send as DTMF once answered.
   */
  callStart: {
    params: z.strictObject({
      taskId: Id,
      phoneId: Id,
      direction: z.enum(['outbound', 'inbound']).default('outbound'),
    }),
    result: z.object({
      attemptId: Id,
      task: TaskDetail,
      dial: z.object({ number: z.string(), extension: z.string().nullable() }),
    }),
  },
  /** The call's outcome: closes the attempt and moves the task by the domain rules. */
  callOutcome: {
    params: z.strictObject({
      taskId: Id,
      attemptId: Id.optional(),
      phoneId: Id.optional(),
      disposition: z.enum(DISPOSITIONS),
      notes: z.string().max(2000).default(''),
      callbackAt: IsoDateTime.optional(),
      stepsCompleted: z.array(z.string().max(40)).max(20).default([]),
      /**
       * With `connected_consented`: the addresses the party confirmed for electronic service (the
       * script's consent_address step). The mobile is one of the task's numbers (default: the one
       * called, when it is a mobile); the e-mail as the party spelt it. Each becomes a consent fact.
       */
      consentAddress: z
        .strictObject({
          phoneId: Id.nullable().optional(),
          email: z.email().max(320).nullable().optional(),
        })
        .optional(),
    }),
    result: TaskDetail,
  },
  /**
   * Imports a file beside the work (a worker thread, chunk by chunk) and answers with the report
   * when it ends; `intakeProgress` events carry the `importId` meanwhile. Imports run one at a time.
   */
  intakeImport: {
    params: z.strictObject({
      fileName: z.string().min(1).max(260),
      // base64 of the file's bytes; the cap matches the intake size limit (50 MiB) plus base64 overhead.
      dataBase64: z.string().max(70 * 1024 * 1024),
      importId: ImportId.optional(),
    }),
    result: IntakeReport,
  },
  /** Stops an import after its current chunk; its `intakeImport` answers with `cancelled: true`. */
  intakeCancel: {
    params: z.strictObject({ importId: ImportId }),
    /** false when no import with that id is queued or running (it may have just ended). */
    result: z.object({ cancelling: z.boolean() }),
  },
  demoLoad: { params: z.strictObject({}), result: z.object({ accepted: z.number().int() }) },
  ...phoneCalls,
  ...syncCalls,
  ...sendCalls,
  ...proofCalls,
} as const;

export type DeskCalls = typeof deskCalls;
export type DeskCallName = keyof DeskCalls;
export type DeskParams<K extends DeskCallName> = z.input<DeskCalls[K]['params']>;
export type DeskParsedParams<K extends DeskCallName> = z.output<DeskCalls[K]['params']>;
export type DeskValue<K extends DeskCallName> = z.output<DeskCalls[K]['result']>;
export const DESK_CALL_NAMES = Object.keys(deskCalls) as DeskCallName[];

/** Events main pushes to the renderer. */
export const deskEvents = {
  queueChanged: z.object({ reason: z.string() }),
  /** Free disk space fell below the warning level (or recovered): recordings need room. */
  storageChanged: StorageStatus,
  /** A few times a second at most while an import runs, and once when it ends. */
  intakeProgress: IntakeProgress,
  ...syncEvents,
  ...sendEvents,
} as const;
export type DeskEventName = keyof typeof deskEvents;
export type DeskEventPayload<K extends DeskEventName> = z.output<(typeof deskEvents)[K]>;
