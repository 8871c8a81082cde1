import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

// One database interface for the hub, with two implementations: PGlite (embedded Postgres, the
// default for `npm run hub` and quick tests) and a real PostgreSQL server through `pg`. Routes and
// stores see only `HubDb`, so the same SQL runs on both.

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$1…` parameters and answers its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements at once, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface HubDb extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; answers the function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type DbTarget = { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };

const CHANNEL = /^[a-z_][a-z0-9_]*$/;
const LISTEN_RETRY_MS = 1000;

function checkChannel(channel: string): string {
  // LISTEN takes an identifier, not a parameter: accept only plain names.
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name: ${channel}`);
  return channel;
}

export async function openHubDb(target: DbTarget): Promise<HubDb> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url);
}

async function openPglite(dataDir: string | null): Promise<HubDb> {
  const db = await PGlite.create(dataDir ?? undefined);
  const run = async <T>(on: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) =>
    (await on.query<T>(sql, params ? [...params] : undefined)).rows;
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: (sql, params) => run(tx, sql, params),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    exec: async (sql) => {
      await db.exec(sql);
    },
    listen: async (channel, onPayload) => {
      const stop = await db.listen(checkChannel(channel), onPayload);
      return async () => stop();
    },
    close: () => db.close(),
  };
}

// int8 counts and sums arrive as numbers, as on PGlite; values stay well below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string): Promise<HubDb> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // A dropped idle connection must not crash the hub; the pool replaces it.
  pool.on('error', () => undefined);
  const run = async <T>(on: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) =>
    (await on.query(sql, params ? [...params] : undefined)).rows as T[];
  await run(pool, 'SELECT 1');
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    listen: async (channel, onPayload) => {
      // LISTEN needs its own connection for as long as we listen; when it drops (a database
      // restart), listen again. Notices sent meanwhile are lost: they are nudges, desks also poll.
      let stopped = false;
      let client: pg.Client | null = null;
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: url });
        next.on('notification', (message) => {
          if (message.channel === channel) onPayload(message.payload ?? '');
        });
        const retry = () => {
          if (stopped || client !== next) return;
          client = null;
          setTimeout(() => void connect().catch(retry), LISTEN_RETRY_MS).unref();
        };
        next.on('error', retry);
        next.on('end', retry);
        client = next;
        await next.connect();
        await next.query(`LISTEN ${checkChannel(channel)}`);
      };
      await connect();
      return async () => {
        stopped = true;
        await client?.end().catch(() => undefined);
      };
    },
    close: () => pool.end(),
  };
}
