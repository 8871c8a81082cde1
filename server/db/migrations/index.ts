import * as accounts from './001_accounts';
import * as tasks from './002_tasks';
import * as sync from './003_sync';
import * as loginLockout from './004_login_lockout';
import * as messages from './005_messages';
import * as leadQueue from './006_lead_queue';
import * as delivery from './007_delivery';
import * as proofs from './008_proofs';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order; a new one is a new file and a new line here, never an edit above. */
export const MIGRATIONS: readonly Migration[] = [
  accounts,
  tasks,
  sync,
  loginLockout,
  messages,
  leadQueue,
  delivery,
  proofs,
].map((migration, index) => ({
  version: index + 1,
  name: migration.name,
  sql: migration.sql,
}));
