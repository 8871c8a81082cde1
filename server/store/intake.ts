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
    // One statement for the whole request; ON CONFLICT DO NOTHING also drops a second row with
    // the same key within it. The first row of each new key gets the task.
    const keyOf = (task: IntakeTask) => `${task.sourceSystem}\u0000${task.sourceTaskId}`;
    const tasks = input.rows.map(({ task }) => task);
    const inserted = await tx.query<{ id: string; source_system: string; source_task_id: string }>(
      `INSERT INTO tasks (id, team_id, source_system, source_task_id, case_number, court, party_name,
                          intake, method, status, priority, deadline)
       SELECT t.id, $1, t.source_system, t.source_task_id, t.case_number, t.court, t.party_name,
              t.intake, t.method, 'new', t.priority, t.deadline
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
                     $9::text[], $10::text[], $11::date[])
              WITH ORDINALITY AS t(id, source_system, source_task_id, case_number, court, party_name,
                                   intake, method, priority, deadline, n)
        ORDER BY t.n
       ON CONFLICT (source_system, source_task_id) DO NOTHING
       RETURNING id, source_system, source_task_id`,
      [
        input.teamId,
        tasks.map(() => uuidv7()),
        tasks.map((task) => task.sourceSystem),
        tasks.map((task) => task.sourceTaskId),
        tasks.map((task) => task.case.number),
        tasks.map((task) => task.case.court),
        tasks.map((task) => task.party.name),
        tasks.map((task) => JSON.stringify(task)),
        tasks.map((task) => task.method),
        tasks.map((task) => task.priority),
        tasks.map((task) => task.deadline),
      ],
    );
    const created = new Map(
      inserted.map((row) => [`${row.source_system}\u0000${row.source_task_id}`, row.id]),
    );
    const taskIds: string[] = [];
    const duplicates: number[] = [];
    for (const { row, task } of input.rows) {
      const id = created.get(keyOf(task));
      if (id === undefined) duplicates.push(row);
      else {
        taskIds.push(id);
        created.delete(keyOf(task)); // a second row with the same key is a duplicate
      }
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
