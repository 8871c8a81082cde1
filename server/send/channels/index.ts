import type { Channel } from '../../../common/domain/legalEffect';
import type { SendConfig } from '../../config';
import type { SendingChannel } from './channel';
import { emailChannel } from './email';
import { smsChannel } from './sms';

export type Channels = ReadonlyMap<Channel, SendingChannel>;

/** The channels the configuration sets up; a channel not configured is refused at send time. */
export function createChannels(config: SendConfig | null): Channels {
  const channels = new Map<Channel, SendingChannel>();
  if (config?.email) channels.set('email', emailChannel(config.email));
  if (config?.sms) channels.set('sms', smsChannel(config.sms));
  return channels;
}
