import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgresServer';

declare module 'vitest' {
  export interface ProvidedContext {
    hubPostgresUrl: string;
  }
}

/** Once per run of the hub-postgres project: one server; each test file makes its own database. */
export default function setup(project: TestProject): () => void {
  const server = startTestPostgres();
  project.provide('hubPostgresUrl', server.url);
  return () => server.stop();
}
