import type { DeskApi } from '../../common/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; in a plain browser the bridge builds it over WebSocket. */
    desk?: DeskApi;
  }
}

export {};
