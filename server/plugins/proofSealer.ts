import fp from 'fastify-plugin';
import { createLogger } from '../logger';
import { sealPendingProofs } from '../store/proofs';

declare module 'fastify' {
  interface FastifyInstance {
    /** Seals the proofs that are ready; resolves when this round is done (tests wait on it). */
    sealProofs(): Promise<number>;
  }
}

const log = createLogger('proofs');

/**
 * Runs the sealing after each push and each blob upload (a proof is ready once both its fact and
 * its PDF are in, in either order) and once at start (proofs filed while no seal was configured).
 * One round at a time per instance; a request that comes during a round asks for one more.
 */
export default fp(
  async (app) => {
    let running: Promise<number> | null = null;
    let again = false;
    const round = async (): Promise<number> => {
      let total = 0;
      do {
        again = false;
        total += await sealPendingProofs(app.db, app.seal);
      } while (again);
      return total;
    };
    const sealProofs = (): Promise<number> => {
      if (running) {
        again = true;
        return running;
      }
      running = round().finally(() => {
        running = null;
      });
      return running;
    };
    const kick = () => {
      sealProofs().catch((err: unknown) => log.error({ err }, 'sealing proofs failed'));
    };
    app.decorate('sealProofs', sealProofs);
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode >= 300) return;
      const url = request.routeOptions.url ?? '';
      if (
        (request.method === 'POST' && url === '/sync/push') ||
        (request.method === 'PATCH' && url.startsWith('/blobs/'))
      )
        kick();
    });
    app.addHook('onReady', async () => kick());
    app.addHook('preClose', async () => {
      await running?.catch(() => undefined);
    });
  },
  { name: 'proofSealer', dependencies: ['config', 'db', 'seal'] },
);
