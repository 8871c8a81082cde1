import { v7 as uuidv7 } from 'uuid';
import type { IntakeTask } from '../../common/intake/taskSchema';
import type { HubDb } from '../db/driver';
import { storeBlob } from './blobs';
import { recordChanges } from './changes';
import { audit } from './tasks';

export interface IntakeWrite {
  /** Row number (from 1) and its validated task. */
  rows: { row: number; task: IntakeTask }[];
  /** Document files sent with the tasks, by SHA-256 (already checked). */
  files: ReadonlyMap<string, Buffer>;
  teamId: string;
  actor: { userId: string | null; apiKeyId: string | null; sourceSystem: string | null };
}

/**
 * Writes new tasks to a team's pool in one transaction. A task whose (sourceSystem, sourceTaskId)
 * is already on the hub — from an earlier request or earlier in this one — is a duplicate and
 * changes nothing, so a case system may safely send the same order again.
 */
export async function writeIntake(
  db: HubDb,
  input: IntakeWrite,
): Promise<{ taskIds: string[]; duplicates: number[] }> {
  return db.transaction(async (tx) => {
    for (const [sha256, bytes] of input.files) await storeBlob(tx, sha256, bytes);
    const taskIds: string[] = [];
    const duplicates: number[] = [];
    for (const { row, task } of input.rows) {
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO tasks (id, team_id, source_system, source_task_id, case_number, court, party_name,
                            intake, method, status, priority, deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', $10, $11)
         ON CONFLICT (source_system, source_task_id) DO NOTHING RETURNING id`,
        [
          uuidv7(),
          input.teamId,
          task.sourceSystem,
          task.sourceTaskId,
          task.case.number,
          task.case.court,
          task.party.name,
          JSON.stringify(task),
          task.method,
          task.priority,
          task.deadline,
        ],
      );
      if (inserted[0]) taskIds.push(inserted[0].id);
      else duplicates.push(row);
    }
    await recordChanges(tx, input.teamId, taskIds);
    await audit(tx, {
      actorId: input.actor.userId,
      action: 'intake',
      details: {
        apiKeyId: input.actor.apiKeyId,
        sourceSystem: input.actor.sourceSystem,
        teamId: input.teamId,
        accepted: taskIds.length,
        duplicates: duplicates.length,
        firstTaskId: taskIds[0] ?? null,
        lastTaskId: taskIds.at(-1) ?? null,
      },
    });
    return { taskIds, duplicates };
  });
}
