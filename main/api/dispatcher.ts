import type { DeskEventName, DeskEventPayload, Result } from '../../common/contract';

/**
 * The one entry point both adapters (Electron's ipcMain and the browser host's WebSocket) call.
 * It parses `name` and `params` against the contract and never throws: bad input answers
 * `{ ok: false, error: { code: 'invalid_request' | 'unknown_method', … } }` and changes nothing.
 */
export type DeskDispatch = (name: unknown, params: unknown) => Promise<Result<unknown>>;

export type DeskEventListener = (event: string, payload: unknown) => void;

/** How handlers push an event of the contract to every renderer. */
export type DeskEmit = <E extends DeskEventName>(event: E, payload: DeskEventPayload<E>) => void;

/** A running desk back end: the store opened, the service ready. */
export interface DeskBackend {
  dispatch: DeskDispatch;
  /** Subscribes to events main pushes to renderers (e.g. queueChanged); returns unsubscribe. */
  onEvent(listener: DeskEventListener): () => void;
  /** The renderer CSP's extra connect-src origins: the configured SIP server's WebSocket, if any. */
  connectSources(): string[];
  close(): void;
}
