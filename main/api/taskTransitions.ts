import { refusedBy } from '../../common/contract';
import { applyTaskEvent, type TaskEvent } from '../../common/domain/taskMachine';
import type { AuditLog } from '../store/auditLog';
import type { TaskCore, TaskStore } from '../store/taskStore';
import type { SyncRecorder } from '../sync/outbox';

/**
 * The one way a task changes state: the domain decides, the row changes, an audit event records it.
 * Runs inside the caller's transaction; a refused event throws its coded refusal (refusedBy).
 * On a hub task the same transaction queues the event for the hub (`sync`).
 */
export function createTaskTransitions(tasks: TaskStore, audit: AuditLog, sync?: SyncRecorder) {
  const transition = (task: TaskCore, event: TaskEvent, at: string, actor: string): TaskCore => {
    const next = applyTaskEvent({ status: task.status, method: task.method }, event);
    if (!next.ok) throw refusedBy(next);
    tasks.update(task.id, { status: next.status, method: next.method }, at);
    audit.append({
      at,
      actor,
      type: 'task.transition',
      taskId: task.id,
      data: { event, from: task.status, to: next.status, method: next.method },
    });
    sync?.taskEvent(task.id, event, at);
    return { ...task, status: next.status, method: next.method };
  };

  return {
    transition,
    /** A call is work on the electronic method: a new or assigned task moves to in progress. */
    ensureInProgress(task: TaskCore, at: string, actor: string): TaskCore {
      let current = task;
      if (current.status === 'new') current = transition(current, { type: 'assign' }, at, actor);
      if (current.status === 'assigned') current = transition(current, { type: 'start_work' }, at, actor);
      return current;
    },
  };
}
export type TaskTransitions = ReturnType<typeof createTaskTransitions>;
