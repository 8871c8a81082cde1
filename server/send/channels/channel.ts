import type { Channel } from '../../../common/domain/legalEffect';

// One interface for every way a message leaves the hub. A new channel (WeChat, a court platform)
// is a new module here and a line in channels/index.ts; nothing else changes.

export interface OutgoingMessage {
  /** The message's id on the hub, passed to the provider so its reports name it. */
  id: string;
  to: string;
  subject: string | null;
  /** The exact text, link included. */
  text: string;
  templateId: string;
  templateParams: Readonly<Record<string, string>>;
}

export type ChannelOutcome =
  /** Handed over; the provider's delivery report follows (SMS). */
  | { status: 'sent'; providerRef: string }
  /** The receiving server accepted it: arrival in the recipient's system (e-mail). */
  | { status: 'delivered'; providerRef: string; detail: string }
  | { status: 'failed'; reason: string };

export interface SendingChannel {
  readonly kind: Channel;
  /** The sending number or mailbox, kept on each message. */
  readonly sender: string;
  send(message: OutgoingMessage): Promise<ChannelOutcome>;
  close(): Promise<void>;
}
