import fp from 'fastify-plugin';
import { createLogger } from '../logger';
import { sendDueCallbacks } from '../store/callbacks';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends the case-system callbacks that are due; resolves when this round is done. */
    sendCallbacks(): Promise<number>;
  }
}

const log = createLogger('callbacks');

/** Sends due callbacks every `callbacks.pollMs` and after each push (a push may deliver a task). */
export default fp(
  async (app) => {
    const policy = app.config.callbacks;
    let running: Promise<number> | null = null;
    const sendCallbacks = (): Promise<number> => {
      running ??= sendDueCallbacks(app.db, policy).finally(() => {
        running = null;
      });
      return running;
    };
    const kick = () => {
      sendCallbacks().catch((err: unknown) => log.error({ err }, 'sending callbacks failed'));
    };
    app.decorate('sendCallbacks', sendCallbacks);
    let timer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      timer = setInterval(kick, policy.pollMs);
      timer.unref();
    });
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode < 300 && request.method === 'POST' && request.routeOptions.url === '/sync/push')
        kick();
    });
    app.addHook('preClose', async () => {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    });
  },
  { name: 'callbacks', dependencies: ['config', 'db'] },
);
