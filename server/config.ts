import { z } from 'zod';

// The hub's configuration, validated once at start: a bad value stops the hub with a clear message
// instead of failing later on first use.

/** Electronic sending and the recipient's portal (server/send/, server/portal/); off when absent. */
export const SendConfig = z.strictObject({
  /** The hub's address as recipients reach it: links are `<publicUrl>/p/<token>`. */
  publicUrl: z.url().transform((url) => url.replace(/\/+$/, '')),
  linkTtlHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** How the portal checks the recipient: a one-time code by SMS, or the ID number's last 4 (when known, else a code). */
  identityCheck: z.enum(['otp', 'id_last_digits']).default('otp'),
  maxVerifyAttempts: z.number().int().min(1).max(20).default(5),
  maxOtpSends: z.number().int().min(1).max(20).default(5),
  /** Portal requests that open links or check codes, per client address and route. */
  portalRateLimit: z
    .strictObject({ max: z.number().int().min(1), windowMs: z.number().int().min(1000) })
    .default({ max: 30, windowMs: 60_000 }),
  /** Each court's official hotline, shown in the message and the portal (by the intake's court name). */
  courtHotlines: z.record(z.string(), z.string().min(3).max(40)).default({}),
  /** The courts' litigation service hotline, for a court not listed. */
  defaultHotline: z.string().min(3).max(40).default('12368'),
  email: z
    .strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      /** TLS from the start (465); otherwise STARTTLS, required unless requireTls is false (a local test server). */
      secure: z.boolean().default(false),
      requireTls: z.boolean().default(true),
      from: z.string().min(3),
      user: z.string().optional(),
      password: z.string().optional(),
      /**
       * Bounces after acceptance (DSN, RFC 3464): each message goes out with the envelope sender
       * `bounce+<messageId>@<domain>`, and the center's mail gateway relays mail to those addresses
       * (a transport map) to the hub's own SMTP listener here. Absent: the envelope sender is `from`.
       */
      bounces: z
        .strictObject({
          domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a mail domain'),
          host: z.string().min(1).default('127.0.0.1'),
          /** 0 picks a free port (tests); the listener's port is then `app.bounces.port`. */
          port: z.number().int().min(0).max(65535).default(2525),
          maxBytes: z.number().int().min(10_000).default(1_000_000),
        })
        .nullable()
        .default(null),
    })
    .nullable()
    .default(null),
  sms: z
    .strictObject({
      /** The carrier's HTTP API (template id + parameters; delivery reports called back to the hub). */
      apiUrl: z.url(),
      accessKey: z.string().min(1),
      signName: z.string().min(1),
      /** The sending number the carrier shows, kept on each message. */
      senderNumber: z.string().min(1),
      /** The carrier sends it in `x-report-token` with each delivery report. */
      reportToken: z.string().min(16),
      timeoutMs: z.number().int().min(100).default(15_000),
    })
    .nullable()
    .default(null),
});
export type SendConfig = z.infer<typeof SendConfig>;

/**
 * The center's seal (server/seal/): the demo files `hub:admin seal-demo --out DIR` writes, or a real
 * PKCS#12 file with its password (given inline, in a file, or in an environment variable) and the
 * root certificate verifiers trust. Without one the hub files proofs unsealed and says so.
 */
export const SealConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('demo'), dir: z.string().min(1) }),
  z
    .strictObject({
      kind: z.literal('pkcs12'),
      file: z.string().min(1),
      password: z.string().optional(),
      passwordFile: z.string().min(1).optional(),
      passwordEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/)
        .optional(),
      /** PEM: the root (and any intermediate) a verifier should trust for this seal. */
      rootFile: z.string().min(1),
    })
    .refine(
      (c) => [c.password, c.passwordFile, c.passwordEnv].filter((v) => v !== undefined).length === 1,
      'give exactly one of password, passwordFile, passwordEnv',
    ),
]);
export type SealConfig = z.infer<typeof SealConfig>;

/** The evidence bundle (server/proof/bundle.ts) and the public verification (`/verify`). */
export const EvidenceConfig = z.strictObject({
  /** Put the documents' files in the bundle, not only their hashes. */
  includeDocuments: z.boolean().default(false),
  /** Public verification requests per client address in each window. */
  verifyRateLimit: z
    .strictObject({ max: z.number().int().min(1), windowMs: z.number().int().min(1000) })
    .default({ max: 30, windowMs: 60_000 }),
});
export type EvidenceConfig = z.infer<typeof EvidenceConfig>;

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
  send: SendConfig.nullable().default(null),
  seal: SealConfig.nullable().default(null),
  /** The case systems' callbacks (server/store/callbacks.ts): polling and retry with backoff. */
  callbacks: z
    .strictObject({
      pollMs: z.number().int().min(50).default(5_000),
      baseDelayMs: z.number().int().min(10).default(10_000),
      maxDelayMs: z.number().int().min(10).default(3_600_000),
      maxAttempts: z.number().int().min(1).max(100).default(12),
      timeoutMs: z.number().int().min(100).default(10_000),
    })
    .default({
      pollMs: 5_000,
      baseDelayMs: 10_000,
      maxDelayMs: 3_600_000,
      maxAttempts: 12,
      timeoutMs: 10_000,
    }),
  evidence: EvidenceConfig.default({
    includeDocuments: false,
    verifyRateLimit: { max: 30, windowMs: 60_000 },
  }),
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
