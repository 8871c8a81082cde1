import fp from 'fastify-plugin';
import { openHubDb, type HubDb } from '../db/driver';
import { migrate } from '../db/migrate';
import { createLogger } from '../logger';

declare module 'fastify' {
  interface FastifyInstance {
    db: HubDb;
  }
}

const log = createLogger('db');

/** Opens the database named by the configuration, brings its schema up to date, closes it last. */
export default fp(
  async (app) => {
    const db = await openHubDb(app.config.db);
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ applied, kind: db.kind }, 'migrations applied');
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.close();
    });
  },
  { name: 'db', dependencies: ['config'] },
);
