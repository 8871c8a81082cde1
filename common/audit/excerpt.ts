import { z } from 'zod';
import { Sha256Schema as Hash } from '../domain/legalEffect';
import { hashAuditEvent, linkBreak, type AuditEventBody, type StoredAuditEvent } from './chain';

// An excerpt of the desk's audit chain for one task: the contiguous range from the task's first
// event (its intake event) up to the chain's head, where the task's own events are given whole and
// every other event only as (seq, prevHash, hash). The verifier recomputes each whole event's hash,
// checks every link and that no seq is missing or repeated, and ends at the stated head. So the
// task's events are shown unaltered, none slipped in and none taken out, up to the head the proof
// of service prints — without showing other parties' events. What it cannot show: that an event
// given only by its hashes is not the task's own (its content is withheld); the desk's full chain,
// or a later excerpt, settles that.

export const AUDIT_EXCERPT_FORMAT = 'delivery-desk.audit-excerpt/1';

const Seq = z.number().int().min(1);

const AuditEventContentSchema = z.object({
  at: z.string().max(64),
  actor: z.string().max(200),
  type: z.string().max(100),
  taskId: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const ExcerptEntrySchema = z.object({
  seq: Seq,
  prevHash: Hash,
  hash: Hash,
  /** The whole event, for the task's own events (and its intake event); absent for the others. */
  event: AuditEventContentSchema.optional(),
});

export const AuditExcerptSchema = z.object({
  format: z.literal(AUDIT_EXCERPT_FORMAT),
  /** The desk's task id (the chain's `taskId`). */
  taskId: z.number().int().min(1),
  /** The intake event that created the task, given whole though its taskId is null (a batch). */
  intakeEventSeq: Seq.nullable(),
  head: z.object({ seq: Seq, hash: Hash }),
  entries: z.array(ExcerptEntrySchema).min(1).max(5_000_000),
});

export type AuditExcerpt = z.infer<typeof AuditExcerptSchema>;
export type ExcerptEntry = z.infer<typeof ExcerptEntrySchema>;

export type ExcerptProblem =
  'malformed' | 'altered' | 'inserted' | 'removed' | 'foreign' | 'wrong_head' | 'task_event_missing';

export type ExcerptVerdict =
  | {
      ok: true;
      taskId: number;
      /** The task's events (and its intake event) as the chain holds them. */
      taskEvents: StoredAuditEvent[];
      head: { seq: number; hash: string };
    }
  | { ok: false; problem: ExcerptProblem; seq: number | null; message: string };

/** What the excerpt must end at and contain: from the proof of service it accompanies. */
export interface ExcerptExpectation {
  headHash?: string;
  /** The proof's audit position (its task's last event, or the head then): a whole task event or the head. */
  taskEventSeq?: number;
}

const refuse = (problem: ExcerptProblem, seq: number | null, message: string): ExcerptVerdict => ({
  ok: false,
  problem,
  seq,
  message,
});

/** Builds an excerpt from the chain's events in order (the builder reads them from the store). */
export function makeAuditExcerpt(
  taskId: number,
  intakeEventSeq: number | null,
  events: readonly StoredAuditEvent[],
): AuditExcerpt {
  const last = events[events.length - 1];
  if (!last) throw new Error('an audit excerpt needs at least one event');
  return {
    format: AUDIT_EXCERPT_FORMAT,
    taskId,
    intakeEventSeq,
    head: { seq: last.seq, hash: last.hash },
    entries: events.map((e) => {
      const own = e.taskId === taskId || e.seq === intakeEventSeq;
      const { seq, prevHash, hash, ...event } = e;
      return own ? { seq, prevHash, hash, event: { ...event } } : { seq, prevHash, hash };
    }),
  };
}

/** Checks an excerpt (already parsed JSON or not) link by link; the first break is the verdict. */
export function verifyAuditExcerpt(input: unknown, expect: ExcerptExpectation = {}): ExcerptVerdict {
  const parsed = AuditExcerptSchema.safeParse(input);
  if (!parsed.success) {
    return refuse('malformed', null, `not an audit excerpt: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  const excerpt = parsed.data;
  const { taskId, intakeEventSeq, entries } = excerpt;
  const first = entries[0]!;
  if (!first.event) {
    return refuse(
      'task_event_missing',
      first.seq,
      `the excerpt does not start with an event of task ${taskId}`,
    );
  }
  const taskEvents: StoredAuditEvent[] = [];
  let prev: ExcerptEntry | null = null;
  let beforePrev: ExcerptEntry | null = null;
  for (const entry of entries) {
    if (entry.event) {
      const body: AuditEventBody = { seq: entry.seq, ...entry.event };
      if (hashAuditEvent(entry.prevHash, body) !== entry.hash) {
        return refuse('altered', entry.seq, `event ${entry.seq} does not match its hash`);
      }
      if (entry.event.taskId !== taskId && entry.seq !== intakeEventSeq) {
        return refuse('foreign', entry.seq, `event ${entry.seq} is given whole but is not of task ${taskId}`);
      }
      taskEvents.push({ ...body, prevHash: entry.prevHash, hash: entry.hash });
    }
    if (prev) {
      if (entry.seq <= prev.seq) {
        return refuse('inserted', entry.seq, `event ${entry.seq} comes again after event ${prev.seq}`);
      }
      const broken = linkBreak(prev, beforePrev, entry.seq, entry.prevHash);
      if (broken) return refuse(broken.problem, broken.seq, broken.message);
    }
    beforePrev = prev;
    prev = entry;
  }
  const last = prev!;
  if (last.seq !== excerpt.head.seq || last.hash !== excerpt.head.hash) {
    return refuse('wrong_head', last.seq, `the excerpt ends at event ${last.seq}, not at its stated head`);
  }
  if (expect.headHash !== undefined && expect.headHash !== last.hash) {
    return refuse(
      'wrong_head',
      last.seq,
      `the excerpt's head ${last.hash} is not the proof's ${expect.headHash}`,
    );
  }
  if (intakeEventSeq !== null && first.seq !== intakeEventSeq) {
    return refuse('task_event_missing', first.seq, `the excerpt does not start at the task's intake event`);
  }
  if (expect.taskEventSeq !== undefined) {
    // The proof's audit position: the task's last event, or the chain's head when the proof was made.
    const seq = expect.taskEventSeq;
    const found = taskEvents.find((e) => e.seq === seq);
    if (seq !== last.seq && (!found || found.taskId !== taskId)) {
      return refuse(
        'task_event_missing',
        seq,
        `the proof's audit event ${seq} is neither an event of task ${taskId} nor the head`,
      );
    }
  }
  return { ok: true, taskId, taskEvents, head: excerpt.head };
}
