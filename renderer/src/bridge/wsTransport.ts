import {
  ServerFrame,
  type ClientFrame,
  type DeskCallName,
  type DeskTransport,
} from '../../../common/contract';
import { markStartup } from '../shared/startupMarks';
import type { EarlySocket } from './earlySocket';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export type BridgeFailure = 'disconnected' | 'not_connected';

/** A call the bridge could not complete; the message is replaced by a localized one upstream. */
export class BridgeError extends Error {
  constructor(readonly reason: BridgeFailure) {
    super(reason === 'disconnected' ? 'connection to the desk was lost' : 'not connected to the desk');
    this.name = 'BridgeError';
  }
}

export interface WsTransport extends DeskTransport {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Queued extends Pending {
  id: number;
  frame: string;
  timer: number;
}

const BACKOFF_MS = [300, 600, 1200, 2500, 5000, 10000];

const callKey = (name: string, params: unknown) => `${name}\n${JSON.stringify(params)}`;
/** How long a call made while (re)connecting waits for the socket before failing. */
const QUEUE_WAIT_MS = 10000;

/**
 * The contract over the browser host's WebSocket (see common/contract/wire.ts). Calls sent on a
 * socket that dies fail at once (we cannot know whether they were applied); calls made while the
 * socket is (re)connecting wait for it for a while, since nothing was sent yet. The socket
 * reconnects with backoff. `early` is the socket the page's first script opened, with the calls
 * it sent: a call asking exactly what one of those asked gets that call's answer.
 */
export function createWsTransport(url: string, early: EarlySocket | null = null): WsTransport {
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = (early?.calls.length ?? 0) + 1;
  /** Early calls not yet claimed, by name and params → their frame id. */
  const earlyCalls = new Map((early?.calls ?? []).map((c) => [callKey(c.name, c.params), c.id]));
  /** Answers to early calls that arrived before anyone claimed them, by frame id. */
  const earlyAnswers = new Map<number, unknown>();
  let attempt = 0;
  let reconnectTimer: number | undefined;
  let closed = false;
  const pending = new Map<number, Pending>();
  const queued: Queued[] = [];
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function failPending(): void {
    const error = new BridgeError('disconnected');
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  }

  function flushQueued(): void {
    while (socket && socket.readyState === WebSocket.OPEN && queued.length > 0) {
      const call = queued.shift();
      if (!call) break;
      window.clearTimeout(call.timer);
      send(call.id, call.frame, call);
    }
  }

  function send(id: number, frame: string, call: Pending): void {
    pending.set(id, call);
    try {
      socket?.send(frame);
    } catch {
      pending.delete(id);
      call.reject(new BridgeError('disconnected'));
    }
  }

  function onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) return;
    const frame = parsed.data;
    if (frame.type === 'event') {
      for (const listener of eventListeners) listener(frame.name, frame.payload);
      return;
    }
    if (frame.id === null) return;
    const call = pending.get(frame.id);
    if (!call) {
      if (early?.calls.some((c) => c.id === frame.id)) earlyAnswers.set(frame.id, frame.result);
      return;
    }
    pending.delete(frame.id);
    call.resolve(frame.result);
  }

  function scheduleReconnect(): void {
    if (closed) return;
    const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 10000;
    attempt += 1;
    const delay = base + Math.floor(Math.random() * base * 0.2);
    reconnectTimer = window.setTimeout(connect, delay);
  }

  function connect(): void {
    reconnectTimer = undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      setState('reconnecting');
      scheduleReconnect();
      return;
    }
    attach(ws);
  }

  function attach(ws: WebSocket): void {
    socket = ws;
    const earlyOpen = ws.onopen;
    ws.onopen = (event: Event) => {
      // The early script's own handler sends its calls first (they hold the lowest ids).
      if (typeof earlyOpen === 'function') earlyOpen.call(ws, event);
      markStartup('socketOpen');
      attempt = 0;
      setState('open');
      flushQueued();
    };
    ws.onmessage = (event: MessageEvent) => onFrame(event.data);
    ws.onclose = () => {
      if (socket === ws) socket = null;
      failPending();
      // Early calls never answered on this socket are gone with it.
      earlyCalls.clear();
      if (closed) return;
      setState('reconnecting');
      scheduleReconnect();
    };
    ws.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
  }

  if (early) {
    attach(early.socket);
    for (const frame of early.frames) onFrame(frame);
    early.frames.length = 0;
    if (early.socket.readyState === WebSocket.OPEN) {
      markStartup('socketOpen');
      setState('open');
    } else if (early.socket.readyState !== WebSocket.CONNECTING) {
      early.socket.onclose?.(new CloseEvent('close'));
    }
  } else {
    connect();
  }

  /** The answer of the early call that asked exactly this, if there is one not yet claimed. */
  function claimEarly(name: DeskCallName, params: unknown): Promise<unknown> | null {
    const key = callKey(name, params);
    const id = earlyCalls.get(key);
    if (id === undefined) return null;
    earlyCalls.delete(key);
    if (earlyAnswers.has(id)) {
      const answer = earlyAnswers.get(id);
      earlyAnswers.delete(id);
      return Promise.resolve(answer);
    }
    if (!socket) return null;
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }

  return {
    invoke(name: DeskCallName, params: unknown): Promise<unknown> {
      const claimed = closed ? null : claimEarly(name, params);
      if (claimed) return claimed;
      const id = nextId++;
      const message: ClientFrame = { type: 'call', id, name, params };
      const frame = JSON.stringify(message);
      return new Promise<unknown>((resolve, reject) => {
        if (closed) {
          reject(new BridgeError('not_connected'));
          return;
        }
        if (socket && socket.readyState === WebSocket.OPEN) {
          send(id, frame, { resolve, reject });
          return;
        }
        const entry: Queued = {
          id,
          frame,
          resolve,
          reject,
          timer: window.setTimeout(() => {
            const index = queued.indexOf(entry);
            if (index >= 0) queued.splice(index, 1);
            reject(new BridgeError('not_connected'));
          }, QUEUE_WAIT_MS),
        };
        queued.push(entry);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (reconnectTimer !== undefined) window.clearTimeout(reconnectTimer);
      socket?.close();
      failPending();
    },
  };
}
