import { describe, expect, it, vi } from 'vitest';
import { DESK_CALL_NAMES } from '../common/contract';
import { DESK_CALL_CHANNEL, DESK_EVENT_CHANNEL, buildDeskApi, type IpcRendererLike } from './deskBridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A stand-in for ipcRenderer: records invokes, answers from `answer`, lets the test emit events. */
function fakeIpc(answer: (channel: string, ...args: unknown[]) => Promise<unknown>) {
  const listeners = new Map<string, Set<Listener>>();
  const invoke = vi.fn(answer);
  const ipc: IpcRendererLike = {
    invoke,
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ipc-event' }, ...args);
  };
  const count = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc, invoke, emit, count };
}

const session = {
  specialist: { id: 's-1', name: '王芳' },
  callerNumber: '010-12345678',
  timeZone: 'Asia/Shanghai',
  today: '2025-03-04',
  taskCount: 12,
};

describe('buildDeskApi', () => {
  it('exposes exactly the contract calls plus on, as plain functions, and nothing of ipc', () => {
    const { ipc } = fakeIpc(async () => ({ ok: true, value: session }));
    const api = buildDeskApi(ipc) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...DESK_CALL_NAMES, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof api[key]).toBe('function');
    expect(Object.values(api)).not.toContain(ipc);
    expect(Object.values(api)).not.toContain(ipc.invoke);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends name and params on desk:call and passes a valid answer through parsed', async () => {
    const { ipc, invoke } = fakeIpc(async () => ({ ok: true, value: { ...session, extra: 'dropped' } }));
    const api = buildDeskApi(ipc);
    const answer = await api.sessionInfo({});
    expect(invoke).toHaveBeenCalledWith(DESK_CALL_CHANNEL, 'sessionInfo', {});
    expect(answer).toEqual({ ok: true, value: session });
  });

  it('passes an error answer through with its code', async () => {
    const error = { code: 'not_found', message: '任务不存在' };
    const { ipc } = fakeIpc(async () => ({ ok: false, error }));
    expect(await buildDeskApi(ipc).taskGet({ taskId: 7 })).toEqual({ ok: false, error });
  });

  it('turns a malformed answer into an internal error', async () => {
    const { ipc } = fakeIpc(async () => ({ ok: true, value: { total: 'many', rows: [] } }));
    const answer = await buildDeskApi(ipc).queuePage({});
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe('internal');
      expect(answer.error.message).toMatch(/malformed answer to queuePage/);
    }
  });

  it('turns an answer that is not a result at all into an internal error', async () => {
    const { ipc } = fakeIpc(async () => undefined);
    const answer = await buildDeskApi(ipc).sessionInfo({});
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('turns a rejected invoke into an internal error instead of a rejection', async () => {
    const { ipc } = fakeIpc(async () => {
      throw new Error("No handler registered for 'desk:call'");
    });
    const answer = await buildDeskApi(ipc).queueCounts({});
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: "desk call queueCounts failed: No handler registered for 'desk:call'",
      },
    });
  });

  it('delivers valid events of the named kind, drops invalid ones, and detaches when unsubscribed', () => {
    const { ipc, emit, count } = fakeIpc(async () => null);
    const api = buildDeskApi(ipc);
    const seen: unknown[] = [];
    const seen2: unknown[] = [];
    const off = api.on('queueChanged', (p) => seen.push(p));
    const off2 = api.on('queueChanged', (p) => seen2.push(p));
    expect(count(DESK_EVENT_CHANNEL)).toBe(1); // one IPC listener, however many subscribers

    emit(DESK_EVENT_CHANNEL, 'queueChanged', { reason: 'import' });
    emit(DESK_EVENT_CHANNEL, 'queueChanged', { reason: 42 }); // breaks the schema
    emit(DESK_EVENT_CHANNEL, 'somethingElse', { reason: 'x' });
    emit(DESK_EVENT_CHANNEL, 17, { reason: 'x' });
    expect(seen).toEqual([{ reason: 'import' }]);
    expect(seen2).toEqual([{ reason: 'import' }]);

    off();
    off(); // idempotent
    emit(DESK_EVENT_CHANNEL, 'queueChanged', { reason: 'sync' });
    expect(seen).toHaveLength(1);
    expect(seen2).toHaveLength(2);
    off2();
    expect(count(DESK_EVENT_CHANNEL)).toBe(0);
  });

  it('keeps delivering to other listeners when one throws', async () => {
    const { ipc, emit } = fakeIpc(async () => null);
    const api = buildDeskApi(ipc);
    const seen: unknown[] = [];
    const rethrown: unknown[] = [];
    const onError = (err: unknown) => rethrown.push(err);
    process.on('uncaughtException', onError);
    try {
      api.on('queueChanged', () => {
        throw new Error('boom');
      });
      api.on('queueChanged', (p) => seen.push(p));
      emit(DESK_EVENT_CHANNEL, 'queueChanged', { reason: 'x' });
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(seen).toEqual([{ reason: 'x' }]);
    expect(rethrown).toHaveLength(1);
  });

  it('refuses unknown event names and non-function listeners', () => {
    const { ipc, count } = fakeIpc(async () => null);
    const api = buildDeskApi(ipc) as unknown as { on(e: unknown, l: unknown): unknown };
    expect(() => api.on('toString', () => {})).toThrow(/unknown desk event/);
    expect(() => api.on('nope', () => {})).toThrow(/unknown desk event/);
    expect(() => api.on('queueChanged', 'not a function')).toThrow(TypeError);
    expect(count(DESK_EVENT_CHANNEL)).toBe(0);
  });
});
