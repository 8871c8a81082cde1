import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { PullQuery, PushRequest, SyncOperation, isSettled } from './protocol';

const taskId = uuidv7();
const attempt = (overrides: Record<string, unknown> = {}) => ({
  type: 'fact.record',
  kind: 'attempt',
  opId: uuidv7(),
  mutationId: 1,
  taskId,
  factId: uuidv7(),
  body: { disposition: 'no_answer' },
  ...overrides,
});

describe('sync protocol', () => {
  it('accepts a fact with defaults filled in', () => {
    const parsed = SyncOperation.parse(attempt());
    expect(parsed).toMatchObject({ kind: 'attempt', deviceAt: null, body: { notes: '', callbackAt: null } });
  });

  it('wants record ids made where the record is created: UUIDv7', () => {
    expect(SyncOperation.safeParse(attempt({ factId: uuidv4() })).success).toBe(false);
    expect(SyncOperation.safeParse(attempt({ opId: 'op-1' })).success).toBe(false);
  });

  it('refuses unknown fields, kinds and events', () => {
    expect(SyncOperation.safeParse(attempt({ assigneeId: uuidv7() })).success).toBe(false);
    expect(SyncOperation.safeParse(attempt({ kind: 'teleport' })).success).toBe(false);
    const event = { type: 'task.event', opId: uuidv7(), mutationId: 2, taskId, event: { type: 'fly' } };
    expect(SyncOperation.safeParse(event).success).toBe(false);
    expect(SyncOperation.safeParse({ ...event, event: { type: 'send' } }).success).toBe(true);
  });

  it('takes a push of unknown operations (each is parsed on its own) and an opaque cursor', () => {
    expect(PushRequest.safeParse({ clientId: uuidv7(), operations: [{ anything: 1 }] }).success).toBe(true);
    expect(PushRequest.safeParse({ clientId: uuidv7(), operations: [] }).success).toBe(false);
    expect(PullQuery.parse({})).toEqual({ cursor: '0:0', limit: 200 });
    expect(PullQuery.safeParse({ cursor: 'drop table' }).success).toBe(false);
  });

  it('settles applied and rejected operations, not deferred ones', () => {
    expect([isSettled({ status: 'applied' }), isSettled({ status: 'rejected' })]).toEqual([true, true]);
    expect(isSettled({ status: 'deferred' })).toBe(false);
  });
});
