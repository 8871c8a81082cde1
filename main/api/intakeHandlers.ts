import { randomUUID } from 'node:crypto';
import { throttle } from '../app/throttle';
import type { ImportRunner } from '../intake/importRunner';
import type { DeskHandlers } from './dispatch';
import type { DeskEmit } from './dispatcher';

/** How often the queue is told to refresh while chunks land. */
export const QUEUE_CHANGED_EVERY_MS = 500;

export interface IntakeHandlerDeps {
  imports: ImportRunner;
  emit: DeskEmit;
  nowIso(): string;
  /** Who acts now (a hub sign-in changes it). */
  actorOf(): string;
}

export type IntakeHandlers = Pick<DeskHandlers, 'intakeImport' | 'intakeCancel'>;

/** File imports beside the work: progress events while they run, the report when they end. */
export function createIntakeHandlers(deps: IntakeHandlerDeps): IntakeHandlers {
  return {
    intakeImport: async ({ fileName, dataBase64, importId }) => {
      const id = importId ?? randomUUID();
      // The queue fills in while the import runs: a refresh after committed chunks, throttled.
      const queueChanged = throttle(QUEUE_CHANGED_EVERY_MS, () =>
        deps.emit('queueChanged', { reason: 'intake' }),
      );
      try {
        return await deps.imports.run(
          { importId: id, fileName, dataBase64, startedAt: deps.nowIso(), actor: deps.actorOf() },
          {
            onProgress: (progress) => deps.emit('intakeProgress', progress),
            onChunk: () => queueChanged.call(),
          },
        );
      } finally {
        queueChanged.flush();
      }
    },
    intakeCancel: ({ importId }) => ({ cancelling: deps.imports.cancel(importId) }),
  };
}
