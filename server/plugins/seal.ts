import fp from 'fastify-plugin';
import { createLogger } from '../logger';
import { loadSeal, type LoadedSeal } from '../seal/loadSeal';

declare module 'fastify' {
  interface FastifyInstance {
    /** The center's seal, or null: then proofs are filed unsealed until one is configured. */
    seal: LoadedSeal | null;
  }
}

const log = createLogger('seal');

/** Loads and checks the configured seal at start (a bad one stops the hub with the reason). */
export default fp(
  async (app) => {
    const seal = app.config.seal ? await loadSeal(app.config.seal) : null;
    if (seal) log.info({ signer: seal.identity.signerName }, 'seal loaded');
    else log.warn('no seal configured: proofs of service are filed unsealed (see README, "The seal")');
    app.decorate('seal', seal);
  },
  { name: 'seal', dependencies: ['config'] },
);
