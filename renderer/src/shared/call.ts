import type { DeskApi, DeskError, Result } from '../../../common/contract';
import { desk, BridgeError } from '../bridge';
import { i18n } from '../i18n';

export function describeFailure(error: unknown): DeskError {
  if (error instanceof BridgeError) {
    return {
      code: 'internal',
      message: i18n.t(error.reason === 'disconnected' ? 'errors.disconnected' : 'errors.notConnected'),
    };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Calls the desk API and turns a transport failure into an ordinary `{ ok: false }` answer. */
export async function callDesk<T>(run: (api: DeskApi) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run(desk());
  } catch (error) {
    return { ok: false, error: describeFailure(error) };
  }
}
