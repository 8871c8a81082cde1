import type { CallEvent, DeskValue, Result } from '../../../../common/contract';

export type CallEventAnswer = DeskValue<'callEvent'>;
export type SendCallEvent = (attemptId: number, event: CallEvent) => Promise<Result<CallEventAnswer>>;

// Sends a call's events to main in the order they happened. An inbound call's first events
// (invite, ringing) come before it has an attempt: they wait until the call is attached to one.
// A lost connection is retried a few times; a refusal is final (retrying cannot change it).

export interface CallReporter {
  report(event: CallEvent): void;
  attach(attemptId: number): void;
  attemptId(): number | null;
  /** Resolves when every event reported so far has been answered (or given up). */
  drain(): Promise<void>;
}

export interface CallReporterOptions {
  send: SendCallEvent;
  onAnswer(answer: CallEventAnswer, event: CallEvent): void;
  retryDelayMs?(attempt: number): number;
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createCallReporter(options: CallReporterOptions): CallReporter {
  const retryDelay = options.retryDelayMs ?? ((attempt: number) => 300 * 2 ** attempt);
  const maxAttempts = options.maxAttempts ?? 6;
  let attemptId: number | null = null;
  const waiting: CallEvent[] = [];
  let chain: Promise<void> = Promise.resolve();

  const send = (id: number, event: CallEvent) => {
    chain = chain.then(async () => {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const answer = await options.send(id, event);
        if (answer.ok) {
          options.onAnswer(answer.value, event);
          return;
        }
        if (answer.error.code !== 'internal') return;
        await sleep(retryDelay(attempt));
      }
    });
  };

  return {
    report(event) {
      if (attemptId === null) waiting.push(event);
      else send(attemptId, event);
    },
    attach(id) {
      attemptId = id;
      for (const event of waiting.splice(0)) send(id, event);
    },
    attemptId: () => attemptId,
    drain: () => chain,
  };
}
