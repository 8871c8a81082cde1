import type { DeskCallName, DeskParams } from '../../../common/contract';
import { WS_PATH } from '../../../common/contract/wsPath';
import { markStartup } from '../shared/startupMarks';
import { takeToken } from './token';

// The desk's WebSocket, opened by the page's first script (early.ts) while the main bundle is
// still loading and evaluating, with the first calls sent as soon as it opens: their answers are
// waiting when the app boots. No zod here (that is what makes this script small): the bridge
// adopts the socket and its frames, and parses them as it parses every other frame.

/** A call sent before the bridge existed, under the frame id it was sent with. */
export interface EarlyCall {
  id: number;
  name: DeskCallName;
  params: unknown;
}

export interface EarlySocket {
  socket: WebSocket;
  calls: EarlyCall[];
  /** Frames that arrived before the bridge took over, in order. */
  frames: unknown[];
}

type FirstCall<K extends DeskCallName = DeskCallName> = [K, DeskParams<K>];

/**
 * What app/startDesk.ts asks for first, with the queue's initial filter, sort and page size.
 * The bridge answers a call from here only if it asks for exactly these params; anything else
 * (say, a changed default) simply goes out as a call of its own.
 */
const FIRST_CALLS: FirstCall[] = [
  ['sessionInfo', {}] satisfies FirstCall<'sessionInfo'>,
  // Whether the desk is signed in to a hub decides the first view (login screen or queue).
  ['hubSession', {}] satisfies FirstCall<'hubSession'>,
  ['queueCounts', { search: '' }] satisfies FirstCall<'queueCounts'>,
  [
    'queuePage',
    { filter: {}, sort: 'deadline', search: '', offset: 0, limit: 50 },
  ] satisfies FirstCall<'queuePage'>,
];

export function deskSocketUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

let early: EarlySocket | null = null;

/** Opens the socket and sends the first calls once open (browser host only; a no-op in Electron). */
export function openEarlySocket(): void {
  if (early || window.desk) return;
  const token = takeToken();
  if (!token) return;
  const socket = new WebSocket(deskSocketUrl(token));
  const state: EarlySocket = {
    socket,
    calls: FIRST_CALLS.map(([name, params], i) => ({ id: i + 1, name, params })),
    frames: [],
  };
  socket.onmessage = (event: MessageEvent) => state.frames.push(event.data);
  socket.onopen = () => {
    markStartup('socketOpen');
    for (const call of state.calls) {
      socket.send(JSON.stringify({ type: 'call', id: call.id, name: call.name, params: call.params }));
    }
  };
  early = state;
}

/** Hands the early socket to the bridge, once. */
export function takeEarlySocket(): EarlySocket | null {
  const taken = early;
  early = null;
  return taken;
}
