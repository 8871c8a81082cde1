import type { CallEvent, DeskValue } from '../../../../common/contract';
import { callDesk } from '../../shared/call';

export type CallEventAnswer = DeskValue<'callEvent'>;

// Sends a call's events to main in the order they happened. An inbound call's first events
// (invite, ringing) come before it has an attempt: they wait until the call is attached to one.

export interface CallReporter {
  report(event: CallEvent): void;
  attach(attemptId: number): void;
  attemptId(): number | null;
  /** Resolves when every event reported so far has been answered (or given up). */
  drain(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createCallReporter(
  onAnswer: (answer: CallEventAnswer, event: CallEvent) => void,
): CallReporter {
  let attemptId: number | null = null;
  const waiting: CallEvent[] = [];
  let chain: Promise<void> = Promise.resolve();

  const send = (id: number, event: CallEvent) => {
    chain = chain.then(async () => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const answer = await callDesk((desk) => desk.callEvent({ attemptId: id, event }));
        if (answer.ok) {
          onAnswer(answer.value, event);
          return;
        }
        // Only a lost connection is worth retrying; a refusal stays a refusal.
        if (answer.error.code !== 'internal') return;
        await sleep(300 * 2 ** attempt);
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
