import { resultSchema, type Result } from './result';
import {
  deskCalls,
  deskEvents,
  DESK_CALL_NAMES,
  type DeskCallName,
  type DeskEventName,
  type DeskEventPayload,
  type DeskParams,
  type DeskValue,
} from './desk';

/** What `window.desk` is, in Electron (preload) and in the browser (WebSocket bridge) alike. */
export type DeskApi = {
  [K in DeskCallName]: (params: DeskParams<K>) => Promise<Result<DeskValue<K>>>;
} & {
  on<E extends DeskEventName>(event: E, listener: (payload: DeskEventPayload<E>) => void): () => void;
};

export interface DeskTransport {
  invoke(name: DeskCallName, params: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/**
 * Builds the named methods of `window.desk` over any transport. Answers and events are parsed
 * here, on the receiving side, so a malformed answer becomes a clear error, not a crash later.
 */
export function createDeskClient(transport: DeskTransport): DeskApi {
  const api: Record<string, unknown> = {};
  for (const name of DESK_CALL_NAMES) {
    const answer = resultSchema(deskCalls[name].result);
    api[name] = async (params: unknown) => {
      const raw = await transport.invoke(name, params);
      const parsed = answer.safeParse(raw);
      if (parsed.success) return parsed.data;
      return {
        ok: false,
        error: { code: 'internal', message: `malformed answer to ${name}: ${parsed.error.message}` },
      };
    };
  }
  api.on = (event: DeskEventName, listener: (payload: unknown) => void) => {
    const schema = deskEvents[event];
    if (!schema) throw new Error(`unknown desk event: ${String(event)}`);
    return transport.subscribe((name, payload) => {
      if (name !== event) return;
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
    });
  };
  return api as DeskApi;
}
