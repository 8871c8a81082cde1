import { randomUUID } from 'node:crypto';
import type { IntakeProgress, IntakeReport } from '../../common/contract';
import { throttle } from '../app/throttle';
import { sendFileToHub, type HubIntakeReport } from '../intake/hubIntake';
import type { ImportRunner } from '../intake/importRunner';
import { badFile, IntakeFileError } from '../intake/intakeFileError';
import { createHubClient } from '../sync/hubClient';
import { throwHubFailure } from '../sync/hubFailure';
import type { HubSession } from '../sync/hubSession';
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
  /** The desk's hub sign-in: a lead's or admin's file goes to the hub's intake. */
  session?: HubSession;
  /** Asks the sync engine to pull now (the hub's new tasks). */
  nudgeSync?(): void;
}

export type IntakeHandlers = Pick<DeskHandlers, 'intakeImport' | 'intakeCancel'>;

/**
 * File imports beside the work: progress events while they run, the report when they end.
 * Signed in to a hub as a lead or admin, the file goes to the hub's intake (the center's pool,
 * where leads assign it) and the hub's report comes back; a specialist, or a desk without a hub,
 * imports into the desk's own database.
 */
export function createIntakeHandlers(deps: IntakeHandlerDeps): IntakeHandlers {
  /** Hub imports running now: cancelling one stops it before its next batch. */
  const hubImports = new Map<string, { cancelled: boolean }>();

  async function importThroughHub(
    importId: string,
    fileName: string,
    dataBase64: string,
    session: HubSession,
    signedIn: NonNullable<ReturnType<HubSession['current']>>,
  ): Promise<IntakeReport> {
    const client = createHubClient({ url: signedIn.url, token: signedIn.token });
    const state = { cancelled: false };
    hubImports.set(importId, state);
    const progress = (phase: IntakeProgress['phase'], soFar: Readonly<HubIntakeReport>) =>
      deps.emit('intakeProgress', {
        importId,
        phase,
        rowsRead: soFar.rowsProcessed,
        totalRows: soFar.totalRows,
        accepted: soFar.accepted,
        duplicates: soFar.duplicates.length,
        rejected: new Set(soFar.rejected.map((r) => r.row)).size,
        etaMs: null,
      });
    try {
      const report = await sendFileToHub(Buffer.from(dataBase64, 'base64'), fileName, {
        send: (batch) => client.intake(batch),
        onBatch: (soFar) => progress('importing', soFar),
        isCancelled: () => state.cancelled,
      }).catch((error: unknown) => {
        if (error instanceof IntakeFileError) throw badFile(error);
        // Batches the hub took stay there: importing the file again reports them as duplicates.
        return throwHubFailure(error, session, 'the hub is out of reach: import the file again later');
      });
      progress(report.cancelled ? 'cancelled' : 'done', report);
      deps.nudgeSync?.();
      const { taskIds: _sent, ...rows } = report;
      return { ...rows, importId };
    } finally {
      hubImports.delete(importId);
    }
  }

  return {
    intakeImport: async ({ fileName, dataBase64, importId }) => {
      const id = importId ?? randomUUID();
      const { session } = deps;
      const signedIn = session?.current();
      if (session && signedIn && signedIn.user.role !== 'specialist') {
        return importThroughHub(id, fileName, dataBase64, session, signedIn);
      }
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
    intakeCancel: ({ importId }) => {
      const hubImport = hubImports.get(importId);
      if (hubImport) {
        hubImport.cancelled = true;
        return { cancelling: true };
      }
      return { cancelling: deps.imports.cancel(importId) };
    },
  };
}
