import {
  deskCalls,
  DeskFailure,
  type DeskCallName,
  type DeskParsedParams,
  type DeskValue,
  type Result,
} from '../../common/contract';
import type { Logger } from '../app/logger';
import type { DeskDispatch } from './dispatcher';

export type DeskHandlers = {
  [K in DeskCallName]: (params: DeskParsedParams<K>) => DeskValue<K> | Promise<DeskValue<K>>;
};

/** The handlers of some of the calls: each feature's handler module answers its own. */
export type HandlersOf<K extends DeskCallName> = Pick<DeskHandlers, K>;

const isCallName = (name: unknown): name is DeskCallName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(deskCalls, name);

/**
 * The contract's receiving side: parse the name and params, run the handler, and turn every
 * failure into `{ ok: false, error }`. A message that breaks its schema never reaches a handler.
 */
export function createDispatch(handlers: DeskHandlers, log: Logger): DeskDispatch {
  return async (name, params): Promise<Result<unknown>> => {
    if (!isCallName(name)) {
      return {
        ok: false,
        error: { code: 'unknown_method', message: `unknown method: ${String(name).slice(0, 64)}` },
      };
    }
    const parsed = deskCalls[name].params.safeParse(params ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`);
      return {
        ok: false,
        error: {
          code: 'invalid_request',
          message: `invalid params for ${name}: ${issues.join('; ')}`,
          details: issues,
        },
      };
    }
    try {
      const handler = handlers[name] as (p: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof DeskFailure) {
        return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
      }
      log.error({ err: error, method: name }, 'desk call failed');
      return { ok: false, error: { code: 'internal', message: 'internal error; see the desk log' } };
    }
  };
}
