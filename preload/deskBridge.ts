// Builds `window.desk` over Electron's IPC. Kept free of the 'electron' import so it runs (and is
// tested) in plain Node with any ipcRenderer-like object; preload/index.ts passes the real one.
import {
  DESK_CALL_NAMES,
  createDeskClient,
  deskEvents,
  type DeskApi,
  type DeskCallName,
  type DeskTransport,
} from '../common/contract';

// Must match main/electron/ipc.ts.
export const DESK_CALL_CHANNEL = 'desk:call';
export const DESK_EVENT_CHANNEL = 'desk:event';

/** The part of Electron's ipcRenderer the bridge uses. It never reaches the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const CALL_NAMES: ReadonlySet<string> = new Set(DESK_CALL_NAMES);

function failure(code: 'unknown_method' | 'internal', message: string) {
  return { ok: false as const, error: { code, message } };
}

/**
 * The contract's transport over IPC. A failed invoke (no handler, main crashed, uncloneable params)
 * answers `{ ok: false, error: { code: 'internal' } }` rather than rejecting, so every call keeps
 * the contract's shape. Events arrive on one IPC listener, attached while anyone listens.
 */
export function createIpcTransport(ipc: IpcRendererLike): DeskTransport {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const onMessage = (_event: unknown, ...args: unknown[]) => {
    const [name, payload] = args;
    if (typeof name !== 'string') return;
    for (const listener of [...listeners]) {
      try {
        listener(name, payload);
      } catch (err) {
        // One listener's failure must not starve the others; it still surfaces in the console.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  };
  return {
    async invoke(name: DeskCallName, params: unknown): Promise<unknown> {
      if (!CALL_NAMES.has(name)) return failure('unknown_method', `unknown desk call: ${String(name)}`);
      try {
        return await ipc.invoke(DESK_CALL_CHANNEL, name, params);
      } catch (err) {
        return failure(
          'internal',
          `desk call ${name} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    },
    subscribe(listener) {
      if (listeners.size === 0) ipc.on(DESK_EVENT_CHANNEL, onMessage);
      listeners.add(listener);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        listeners.delete(listener);
        if (listeners.size === 0) ipc.removeListener(DESK_EVENT_CHANNEL, onMessage);
      };
    },
  };
}

/**
 * `window.desk`: exactly the contract's named calls plus `on`, as plain functions in a frozen plain
 * object (what contextBridge copies well). Neither ipcRenderer nor a generic invoke is exposed.
 */
export function buildDeskApi(ipc: IpcRendererLike): DeskApi {
  const client = createDeskClient(createIpcTransport(ipc));
  const api: Record<string, unknown> = {};
  for (const name of DESK_CALL_NAMES) {
    const call = client[name] as (params: unknown) => Promise<unknown>;
    api[name] = (params: unknown) => call(params);
  }
  api.on = (event: unknown, listener: unknown) => {
    if (typeof event !== 'string' || !Object.hasOwn(deskEvents, event)) {
      throw new TypeError(`unknown desk event: ${String(event)}`);
    }
    if (typeof listener !== 'function') throw new TypeError('desk.on needs a listener function');
    return client.on(event as keyof typeof deskEvents, listener as (payload: unknown) => void);
  };
  return Object.freeze(api) as DeskApi;
}
