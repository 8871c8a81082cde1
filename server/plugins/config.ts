import fp from 'fastify-plugin';
import { parseHubConfig, type HubConfig } from '../config';

declare module 'fastify' {
  interface FastifyInstance {
    config: HubConfig;
  }
}

/** Validates the configuration before anything else starts, and shares it as `app.config`. */
export default fp<{ config: unknown }>(
  async (app, options) => {
    app.decorate('config', parseHubConfig(options.config));
  },
  { name: 'config' },
);
