import { z } from 'zod';

// The hub's configuration, validated once at start: a bad value stops the hub with a clear message
// instead of failing later on first use.

export const HubConfig = z.strictObject({
  db: z.discriminatedUnion('kind', [
    /** `dataDir: null` keeps the database in memory (tests). */
    z.strictObject({ kind: z.literal('pglite'), dataDir: z.string().min(1).nullable() }),
    z.strictObject({ kind: z.literal('postgres'), url: z.string().regex(/^postgres(ql)?:\/\//) }),
  ]),
  sessionTtlMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(12 * 60),
  /** Login attempts per client address and user name in each window. */
  loginRateLimit: z
    .strictObject({ max: z.number().int().min(1), windowMs: z.number().int().min(1000) })
    .default({ max: 10, windowMs: 60_000 }),
  /** A user whose session was used within this many seconds counts as online. */
  onlineWindowSeconds: z.number().int().min(10).default(120),
});
export type HubConfig = z.infer<typeof HubConfig>;
export type HubConfigInput = z.input<typeof HubConfig>;

export function parseHubConfig(input: unknown): HubConfig {
  const parsed = HubConfig.safeParse(input);
  if (!parsed.success) {
    throw new Error(`invalid hub configuration: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
