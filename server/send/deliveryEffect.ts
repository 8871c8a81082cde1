import { canonicalJson } from '../../common/audit/chain';
import { computeLegalEffect, type LegalEffect } from '../../common/domain/legalEffect';
import type { Method, TaskStatus } from '../../common/domain/model';
import { applyTaskEvent, type TaskEvent } from '../../common/domain/taskMachine';
import type { Queryable } from '../db/driver';
import { createLogger } from '../logger';
import { recordChanges } from '../store/changes';
import { audit } from '../store/tasks';
import { legalEffectFacts } from './legalFacts';

// After each message event (handed to the channel, a delivery report, a failure, a portal event),
// in the same transaction: the task's legal effect judged again by computeLegalEffect (the one home
// of the rule) over the hub's facts, kept in delivery_effects (migration 007), and the task moved
// forward by the task machine — `send` once a message has gone out, `confirm_delivery` once the
// effect gives a service date. Status only ever moves forward; each move is a change desks pull.

const log = createLogger('delivery');

interface TaskState {
  id: string;
  team_id: string;
  status: TaskStatus;
  method: Method;
}

/** Applies one event by the task machine; false (and nothing written) when the machine says no. */
async function move(tx: Queryable, task: TaskState, event: TaskEvent, details: object): Promise<boolean> {
  const next = applyTaskEvent({ status: task.status, method: task.method }, event);
  if (!next.ok) {
    log.info(
      { taskId: task.id, event: event.type, status: task.status },
      'the task machine keeps the status',
    );
    return false;
  }
  await tx.query('UPDATE tasks SET status = $2, method = $3, updated_at = now() WHERE id = $1', [
    task.id,
    next.status,
    next.method,
  ]);
  await audit(tx, {
    actorId: null,
    action: 'task.transition',
    taskId: task.id,
    details: { event, from: task.status, to: next.status, by: 'delivery', ...details },
  });
  task.status = next.status;
  task.method = next.method;
  return true;
}

/**
 * Judges the task's effect again and moves the task if it follows. Answers the effect now kept
 * (the frozen one once the task was delivered by it).
 */
export async function settleDeliveryEffect(tx: Queryable, taskId: string): Promise<LegalEffect> {
  const [task] = await tx.query<TaskState>(
    'SELECT id, team_id, status, method FROM tasks WHERE id = $1 FOR UPDATE',
    [taskId],
  );
  if (!task) throw new Error(`no task ${taskId}`);
  const [kept] = await tx.query<{ effect: LegalEffect; effective: boolean }>(
    'SELECT effect, effective FROM delivery_effects WHERE task_id = $1 FOR UPDATE',
    [taskId],
  );
  const facts = await legalEffectFacts(tx, taskId);
  // Once effective, the kept effect stands: the date that delivers the task is what the proof cites.
  const effect = kept?.effective ? kept.effect : computeLegalEffect(facts);
  // Compared key-sorted: jsonb does not keep key order, and an unchanged effect is not a change.
  let changed = !kept?.effective && canonicalJson(kept?.effect ?? null) !== canonicalJson(effect);
  if (changed) {
    await tx.query(
      `INSERT INTO delivery_effects (task_id, effective, rule, basis, service_date, effect, facts, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (task_id) DO UPDATE SET effective = EXCLUDED.effective, rule = EXCLUDED.rule,
         basis = EXCLUDED.basis, service_date = EXCLUDED.service_date, effect = EXCLUDED.effect,
         facts = EXCLUDED.facts, computed_at = now()`,
      [
        taskId,
        effect.effective,
        effect.rule,
        effect.basis,
        effect.serviceDate,
        JSON.stringify(effect),
        JSON.stringify(facts),
      ],
    );
  }
  // A message handed to its channel: the task is sent (from consented; sending again keeps `sent`).
  if (facts.channels.length > 0 && task.status === 'consented')
    changed = (await move(tx, task, { type: 'send' }, { messages: facts.channels.length })) || changed;
  if (effect.effective && task.status === 'sent')
    changed =
      (await move(
        tx,
        task,
        { type: 'confirm_delivery' },
        { rule: effect.rule, basis: effect.basis, serviceDate: effect.serviceDate },
      )) || changed;
  if (changed) await recordChanges(tx, task.team_id, [task.id]);
  return effect;
}
