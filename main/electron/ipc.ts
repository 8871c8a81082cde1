// The ipcMain adapter: the contract's calls arrive on 'desk:call' and go straight to the back end's
// dispatch (which parses them); events go out on 'desk:event'. No logic lives here beyond refusing
// senders that are not the main frame of one of our windows showing one of our origins.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../common/contract';
import type { DeskBackend } from '../api/dispatcher';
import { SENDER_NOT_ALLOWED, isAllowedSender, isTrustedUrl } from './policy';
import { deskWindows } from './window';

export const DESK_CALL_CHANNEL = 'desk:call';
export const DESK_EVENT_CHANNEL = 'desk:event';

function senderAllowed(event: IpcMainInvokeEvent, trustedOrigins: readonly string[]): boolean {
  const frame = event.senderFrame;
  const sender = event.sender;
  const fromOurWindow = [...deskWindows].some((w) => !w.isDestroyed() && w.webContents === sender);
  let isMainFrame = false;
  if (frame && !sender.isDestroyed()) {
    const main = sender.mainFrame;
    isMainFrame = frame.processId === main.processId && frame.frameTreeNodeId === main.frameTreeNodeId;
  }
  return isAllowedSender(
    { frame: frame ? { url: frame.url, parent: frame.parent } : null, fromOurWindow, isMainFrame },
    trustedOrigins,
  );
}

/** Connects the back end to our windows. Returns a function that disconnects it. */
export function connectDeskIpc(backend: DeskBackend, trustedOrigins: readonly string[]): () => void {
  ipcMain.handle(
    DESK_CALL_CHANNEL,
    async (event, name: unknown, params: unknown): Promise<Result<unknown>> => {
      if (!senderAllowed(event, trustedOrigins))
        return { ...SENDER_NOT_ALLOWED, error: { ...SENDER_NOT_ALLOWED.error } };
      try {
        return await backend.dispatch(name, params);
      } catch (err) {
        // dispatch promises never to throw; should it, the answer still keeps the contract's shape.
        return {
          ok: false,
          error: { code: 'internal', message: err instanceof Error ? err.message : String(err) },
        };
      }
    },
  );
  const unsubscribe = backend.onEvent((name, payload) => {
    for (const win of deskWindows) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      if (!isTrustedUrl(win.webContents.getURL(), trustedOrigins)) continue;
      win.webContents.send(DESK_EVENT_CHANNEL, name, payload);
    }
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(DESK_CALL_CHANNEL);
  };
}
