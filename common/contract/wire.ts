import { z } from 'zod';

// The browser host's WebSocket protocol: the contract's calls and events as JSON frames.
// The renderer opens ws://127.0.0.1:PORT/desk?token=SECRET (the per-launch secret reaches the page
// in the URL fragment `#token=…`, which browsers never send to a server).

export { WS_PATH } from './wsPath';

export const ClientFrame = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(64),
  params: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nullable(), result: z.unknown() }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
