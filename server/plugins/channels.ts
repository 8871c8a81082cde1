import fp from 'fastify-plugin';
import { createChannels, type Channels } from '../send/channels';

declare module 'fastify' {
  interface FastifyInstance {
    channels: Channels;
  }
}

/** The sending channels the configuration sets up (SMS carrier, SMTP), closed with the hub. */
export default fp(
  async (app) => {
    const channels = createChannels(app.config.send);
    app.decorate('channels', channels);
    app.addHook('onClose', async () => {
      for (const channel of channels.values()) await channel.close();
    });
  },
  { name: 'channels', dependencies: ['config'] },
);
