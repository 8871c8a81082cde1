import type { DeskApi, DeskError, Result } from '../../../common/contract';
import { desk, BridgeError } from '../bridge';
import type { LocalFailure } from './errorText';

/** A failure made here, not by main: shown by deskErrorText from `details.local`. */
export function describeFailure(error: unknown): DeskError {
  const local: LocalFailure =
    error instanceof BridgeError
      ? { local: error.reason === 'disconnected' ? 'disconnected' : 'not_connected' }
      : { local: 'exception' };
  return {
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
    details: local,
  };
}

/** Calls the desk API and turns a transport failure into an ordinary `{ ok: false }` answer. */
export async function callDesk<T>(run: (api: DeskApi) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run(desk());
  } catch (error) {
    return { ok: false, error: describeFailure(error) };
  }
}
