import { migration001 } from './001_core';
import { migration002 } from './002_queue';
import { migration003 } from './003_calls';
import { migration004 } from './004_sync';
import { migration005 } from './005_sends';
import { migration006 } from './006_proofs';
import type { Migration } from './types';

/** Every migration in order; a new version is a new file appended here. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
];
export type { Migration };
