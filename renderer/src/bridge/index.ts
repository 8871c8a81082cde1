import { createDeskClient, type DeskApi } from '../../../common/contract';
import { deskSocketUrl, takeEarlySocket } from './earlySocket';
import { takeToken } from './token';
import { createWsTransport, type ConnectionState } from './wsTransport';

export { BridgeError, type ConnectionState } from './wsTransport';

export type BridgeStatus = ConnectionState | 'no_token';

let api: DeskApi | null = null;
let status: BridgeStatus = 'open';
const statusListeners = new Set<() => void>();
const reconnectListeners = new Set<() => void>();

function setStatus(next: BridgeStatus): void {
  const wasDown = status === 'reconnecting';
  status = next;
  for (const listener of statusListeners) listener();
  if (wasDown && next === 'open') for (const listener of reconnectListeners) listener();
}

function build(): DeskApi {
  // Electron: the preload already exposed the contract.
  if (window.desk) return window.desk;
  const token = takeToken();
  if (!token) {
    status = 'no_token';
    // Without a token every call fails with a clear message instead of hanging.
    return createDeskClient({
      invoke: () =>
        Promise.reject(new Error('no access token: open the desk with the link printed by the host')),
      subscribe: () => () => undefined,
    });
  }
  // The page's first script has usually opened the socket and sent the first calls already.
  const transport = createWsTransport(deskSocketUrl(token), takeEarlySocket());
  status = transport.state();
  transport.onState(setStatus);
  const client = createDeskClient(transport);
  window.desk = client;
  return client;
}

/** The desk API, from the preload or built over the browser host's WebSocket on first use. */
export function desk(): DeskApi {
  if (!api) api = build();
  return api;
}

export function bridgeStatus(): BridgeStatus {
  return status;
}

export function onBridgeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

/** Called after the socket came back: events may have been missed, so views should refresh. */
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => {
    reconnectListeners.delete(listener);
  };
}
