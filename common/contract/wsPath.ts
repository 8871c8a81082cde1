// The browser host's WebSocket path, alone in a module without zod: the page's first, tiny
// script (renderer/src/bridge/earlySocket.ts) opens the socket before the contract is loaded.
export const WS_PATH = '/desk';
