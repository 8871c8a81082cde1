import { describe, expect, it } from 'vitest';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import { validateTaskInput } from '../../common/intake/validateTask';
import type { FactView, TaskSnapshot } from '../../common/sync/protocol';
import { createAuditLog } from '../store/auditLog';
import { openDatabase } from '../store/database';
import { createIntakeWriter } from '../store/intakeWriter';
import { createTaskStore } from '../store/taskStore';
import { createSnapshotWriter } from './taskSnapshots';

// Pulled snapshots into a real SQLite store: new tasks keep the hub's id; the hub's assignment,
// priority and status land; other desks' attempts arrive once; the desk's queued work is not
// overwritten; nothing local is lost.

const HUB_ID = '0190f7a0-0000-7000-8000-0000000000bb';
const ZHANG = { id: '0190f7a0-0000-7000-8000-000000000001', name: '张敏' };
const LI = { id: '0190f7a0-0000-7000-8000-000000000002', name: '李静' };

function snapshot(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const checked = validateTaskInput({ ...validTaskInput(), sourceTaskId: 'HUB-1' });
  if (!checked.ok) throw new Error('fixture');
  return {
    id: HUB_ID,
    teamId: '0190f7a0-0000-7000-8000-0000000000cc',
    assignee: ZHANG,
    status: 'assigned',
    method: 'electronic',
    priority: 'normal',
    deadline: '2026-12-31',
    intake: checked.task,
    attempts: 0,
    lastAttemptAt: null,
    callbackAt: null,
    completedAfterReassignment: false,
    updatedAt: new Date().toISOString(),
    facts: [],
    ...overrides,
  };
}

const fact = (id: string, body: Record<string, unknown>): FactView => ({
  id,
  kind: 'attempt',
  authorId: LI.id,
  authorName: LI.name,
  body,
  blobSha256: null,
  blobPresent: false,
  deviceAt: null,
  receivedAt: new Date().toISOString(),
  afterReassignment: false,
});

function setUp() {
  const db = openDatabase(':memory:');
  const audit = createAuditLog(db);
  const tasks = createTaskStore(db, audit);
  const apply = createSnapshotWriter(db, { tasks, audit, intake: createIntakeWriter(db, audit) });
  const row = () =>
    db
      .prepare(
        `SELECT id, status, priority, assignee, hub_assignee_id AS assigneeId, callback_at AS callbackAt,
                completed_after_reassignment AS flagged FROM tasks WHERE hub_id = ?`,
      )
      .get(HUB_ID) as Record<string, unknown>;
  return { db, audit, tasks, apply, row };
}

describe('pulled snapshots', () => {
  it("a new task keeps the hub's id, holder, priority and status; a reassignment is audited", () => {
    const { apply, row, audit } = setUp();
    const at = new Date().toISOString();
    expect(apply([snapshot()], at)).toBe(1);
    expect(row()).toMatchObject({ status: 'assigned', assignee: '张敏', assigneeId: ZHANG.id, flagged: 0 });
    apply([snapshot({ assignee: LI, priority: 'urgent', completedAfterReassignment: true })], at);
    expect(row()).toMatchObject({ priority: 'urgent', assignee: '李静', assigneeId: LI.id, flagged: 1 });
    const types = audit.forTask(row().id as number, null).map((e) => e.type);
    expect(types.filter((t) => t === 'task.reassigned')).toHaveLength(1);
    expect(audit.verify().ok).toBe(true);
  });

  it("other desks' attempts arrive once; the latest decides the callback", () => {
    const { db, apply, row } = setUp();
    const at = new Date().toISOString();
    const asked = fact('0190f7a0-0000-7000-8000-0000000000d1', {
      disposition: 'callback_requested',
      notes: '下午再打',
      callbackAt: '2026-12-02T06:00:00.000Z',
    });
    apply([snapshot({ status: 'in_progress', facts: [asked] })], at);
    apply([snapshot({ status: 'in_progress', facts: [asked] })], at);
    expect(db.prepare('SELECT actor, notes FROM attempts').all()).toEqual([
      { actor: '李静', notes: '下午再打' },
    ]);
    expect(row().callbackAt).toBe('2026-12-02T06:00:00.000Z');
    const later = fact('0190f7a0-0000-7000-8000-0000000000d2', { disposition: 'no_answer', notes: '' });
    apply([snapshot({ status: 'in_progress', facts: [asked, later] })], at);
    expect(row().callbackAt).toBeNull();
  });

  it("while the desk's own changes to a task are queued, its status stands", () => {
    const { db, apply, row, tasks } = setUp();
    const at = new Date().toISOString();
    apply([snapshot()], at);
    const id = row().id as number;
    db.transaction(() => tasks.update(id, { status: 'in_progress' }, at))();
    db.prepare(
      `INSERT INTO sync_outbox (client_id, mutation_id, task_id, kind, operation, created_at) VALUES ('c', 1, ?, 'attempt', '{}', ?)`,
    ).run(id, at);
    apply([snapshot({ status: 'assigned', priority: 'urgent' })], at);
    expect(row()).toMatchObject({ status: 'in_progress', priority: 'urgent' });
  });
});
