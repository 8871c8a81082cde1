import { z } from 'zod';
import { CHANNELS, Sha256Schema as Sha256Hex } from '../domain/legalEffect';

// Electronic sending from the hub (issue 8): the desk's send request, the messages it makes and
// their status, as the send routes answer them and task snapshots carry them.
//
// POST /send/messages  { sendId, taskId, channels[], documents[] } → SendResponse
//   - `sendId` is made on the desk (UUIDv7) when the specialist presses send, kept in its outbox and
//     sent again unchanged after an outage: the hub makes one message per channel per send id, and a
//     repeated send answers the same messages (`replayed`) without sending anything again. The same
//     send id with another request is refused (409).
// POST /send/preview   the same body without sendId → the exact text each channel would carry
//   (the link's token and the check code are made at send time and shown as placeholders).
// Status of a message: accepted (committed on the hub) → sending → sent (handed to the carrier or
//   the mail server) → delivered (carrier's delivery report; the mail server's acceptance) →
//   opened → verified → confirmed (in the portal); or failed, with its reason. The desk shows
//   "queued" itself while the send waits in its outbox. Every change is pulled with the task
//   (TaskSnapshot.messages) and announced by the change notices.
// POST /send/reports/sms  the carrier's delivery reports (x-report-token), not for desks.

// protocol.ts carries MessageView in its task snapshots, so this module does not import it back.
/** Made on the desk when the specialist presses send (UUIDv7, as protocol.ts's RecordId). */
const SendId = z.uuid({ version: 'v7' });
const TaskId = z.uuid();

export const MESSAGE_STATUSES = [
  'accepted',
  'sending',
  'sent',
  'delivered',
  'opened',
  'verified',
  'confirmed',
  'failed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const SendChannel = z.strictObject({
  channel: z.enum(CHANNELS),
  /** The party's confirmed mobile number (digits) or e-mail address. */
  address: z.string().trim().min(3).max(320),
});

const SendBody = {
  taskId: TaskId,
  channels: z
    .array(SendChannel)
    .min(1)
    .max(CHANNELS.length)
    .refine((list) => new Set(list.map((c) => c.channel)).size === list.length, {
      message: 'each channel at most once',
    }),
  /** The documents to serve, by the SHA-256 of their files on the hub. */
  documents: z.array(Sha256Hex).min(1).max(50),
};
export const SendRequest = z.strictObject({ sendId: SendId, ...SendBody });
export type SendRequest = z.infer<typeof SendRequest>;
export const PreviewRequest = z.strictObject(SendBody);

export const MessageDocument = z.object({ title: z.string(), kind: z.string(), sha256: Sha256Hex });

export const MessageEventView = z.object({
  id: z.string(),
  kind: z.string(),
  at: z.string(),
  /** Evidence the event stored (a signature PNG, the signed address confirmation): GET /blobs/:sha256. */
  blobSha256: z.string().nullable(),
  /** Where a portal event came from, as the hub recorded it (the proof cites it); absent from older hubs. */
  ip: z.string().nullable().optional(),
  userAgent: z.string().nullable().optional(),
});

export const MessageView = z.object({
  id: z.string(),
  sendId: z.string(),
  taskId: z.string(),
  channel: z.enum(CHANNELS),
  address: z.string(),
  sender: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  failureReason: z.string().nullable(),
  subject: z.string().nullable(),
  /** The exact text sent. */
  content: z.string(),
  documents: z.array(MessageDocument),
  checkCode: z.string(),
  linkExpiresAt: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /** Delivery reports and portal events, oldest first. */
  events: z.array(MessageEventView),
});
export type MessageView = z.infer<typeof MessageView>;

export const SendResponse = z.object({
  sendId: z.string(),
  /** The check code the specialist reads out; the SMS and the portal carry it too. */
  checkCode: z.string(),
  replayed: z.boolean(),
  messages: z.array(MessageView),
});
export type SendResponse = z.infer<typeof SendResponse>;

export const PreviewResponse = z.object({
  messages: z.array(
    z.object({
      channel: z.enum(CHANNELS),
      address: z.string(),
      sender: z.string(),
      subject: z.string().nullable(),
      content: z.string(),
    }),
  ),
});
export type PreviewResponse = z.infer<typeof PreviewResponse>;
