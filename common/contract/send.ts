import { z } from 'zod';
import { CHANNELS, LegalEffectSchema, Sha256Schema } from '../domain/legalEffect';
import { MESSAGE_STATUSES } from '../sync/send';

// The script's send step and the task's messages (issue 8), as calls the renderer makes to main.
// Main holds the hub's token, asks the hub for previews, and keeps each send in its own outbox
// (the `sends` table) until the hub has it; the renderer sees addresses masked only.

const Id = z.number().int().positive();
const IsoDateTime = z.iso.datetime({ offset: true });

/** A channel the party confirmed an address for on the recorded call. */
export const SendChannelOption = z.object({
  channel: z.enum(CHANNELS),
  addressMasked: z.string(),
  consentedAt: IsoDateTime,
});

export const SendDocumentOption = z.object({
  sha256: Sha256Schema,
  title: z.string(),
  kind: z.string(),
});

/** A send as this desk keeps it: queued (in its outbox), accepted by the hub, or refused by it. */
export const LOCAL_SEND_STATES = ['queued', 'accepted', 'refused'] as const;
export const LocalSendView = z.object({
  sendId: z.string(),
  state: z.enum(LOCAL_SEND_STATES),
  channels: z.array(z.enum(CHANNELS)),
  documents: z.array(z.string()),
  createdAt: IsoDateTime,
  postedAt: IsoDateTime.nullable(),
  /** The code the specialist reads out, once the hub answered. */
  checkCode: z.string().nullable(),
  error: z.string().nullable(),
});
export type LocalSendView = z.infer<typeof LocalSendView>;

/** One message from the hub's last pulled snapshot, its address masked. */
export const MessageStatusView = z.object({
  id: z.string(),
  sendId: z.string(),
  channel: z.enum(CHANNELS),
  addressMasked: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  checkCode: z.string(),
  events: z.array(z.object({ kind: z.string(), at: z.string() })),
});
export type MessageStatusView = z.infer<typeof MessageStatusView>;

export const TaskSending = z.object({
  /** False for a task imported on this desk alone: sending goes through the hub. */
  hubTask: z.boolean(),
  /** The consent on the recorded call (the earliest), or null before any. */
  consent: z
    .object({
      at: IsoDateTime,
      recordingSha256: z.string().nullable(),
      markOffsetMs: z.number().int().nullable(),
      /** Its fact waits for the recording to be finalised. */
      waitingForRecording: z.boolean(),
    })
    .nullable(),
  channels: z.array(SendChannelOption),
  documents: z.array(SendDocumentOption),
  sends: z.array(LocalSendView),
  messages: z.array(MessageStatusView),
  legalEffect: LegalEffectSchema.nullable(),
  /** After a failed message: the confirmed channel not tried yet, and whether postal escalation is open. */
  nextStep: z.object({ channel: z.enum(CHANNELS).nullable(), escalate: z.boolean() }).nullable(),
});
export type TaskSending = z.infer<typeof TaskSending>;

const SendChoice = {
  taskId: Id,
  channels: z
    .array(z.enum(CHANNELS))
    .min(1)
    .max(CHANNELS.length)
    .refine((list) => new Set(list).size === list.length, { message: 'each channel at most once' }),
  documents: z.array(Sha256Schema).min(1).max(50),
};

export const SendPreview = z.object({
  messages: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      addressMasked: z.string(),
      sender: z.string(),
      subject: z.string().nullable(),
      content: z.string(),
    }),
  ),
});

export const sendCalls = {
  /** The send step and the messages of a task: what may be sent, what was, and the legal effect. */
  taskSending: { params: z.strictObject({ taskId: Id }), result: TaskSending },
  /** The exact text per channel, asked of the hub (the link's token and the check code as placeholders). */
  sendPreview: { params: z.strictObject(SendChoice), result: SendPreview },
  /**
   * Queues a send: committed on this desk (with its audit event) before it answers; the sync
   * engine posts it to the hub once the consent before it is there. Offline it waits.
   */
  sendQueue: {
    params: z.strictObject(SendChoice),
    result: z.object({ sendId: z.string(), state: z.enum(LOCAL_SEND_STATES) }),
  },
  /** Electronic service failed (undelivered, bounced): the task goes to postal service. */
  sendEscalatePostal: { params: z.strictObject({ taskId: Id }), result: z.object({ status: z.string() }) },
} as const;

export type SendCallName = keyof typeof sendCalls;

export const sendEvents = {
  /** A task's sends or messages changed (queued, posted, pulled): read taskSending again. */
  sendsChanged: z.object({ taskId: Id }),
} as const;
