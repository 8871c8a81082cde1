import fp from 'fastify-plugin';
import { startBounceListener, type BounceListener } from '../send/bounceListener';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SMTP listener for e-mail bounces (DSNs), when the configuration sets one up. */
    bounces: BounceListener | null;
  }
}

/** Starts the bounce listener with the hub and closes it with the hub. */
export default fp(
  async (app) => {
    const config = app.config.send?.email?.bounces ?? null;
    const listener = config ? await startBounceListener(app.db, config) : null;
    app.decorate('bounces', listener);
    app.addHook('onClose', async () => {
      await listener?.close();
    });
  },
  { name: 'bounces', dependencies: ['config', 'db'] },
);
