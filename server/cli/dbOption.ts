import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { DbTarget } from '../db/driver';

/** `--db URL` (PostgreSQL) or `--pglite DIR`; without either, PGlite in ~/.delivery-desk/hub. */
export function dbTargetFrom(values: { db?: string; pglite?: string }): DbTarget {
  if (values.db && values.pglite) throw new Error('give --db URL or --pglite DIR, not both');
  if (values.db) return { kind: 'postgres', url: values.db };
  const dir = values.pglite ?? process.env.HUB_PGLITE_DIR ?? resolve(homedir(), '.delivery-desk', 'hub');
  return { kind: 'pglite', dataDir: resolve(dir) };
}
