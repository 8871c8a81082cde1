import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL server for tests: Debian's server binaries, a temporary data directory,
// 127.0.0.1 on a random port. PostgreSQL refuses to run as root, so as root it runs as `postgres`.

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'hub';

export interface TestPostgres {
  url: string;
  stop(): void;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root needs the `postgres` user (Debian package postgresql) to run the server',
    );
  }
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): string {
  const result = spawnSync(join(BIN, command), args, { encoding: 'utf8', ...(user ?? {}) });
  if (result.status !== 0) {
    throw new Error(
      `${command} failed (${result.status}): ${result.stderr || result.stdout || result.error}`,
    );
  }
  return result.stdout;
}

const randomPort = () => 20_000 + Math.floor(Math.random() * 40_000);

export function startTestPostgres(): TestPostgres {
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), 'hub-pg-'));
  if (user) chownSync(base, user.uid, user.gid);
  const data = join(base, 'data');
  run(
    'initdb',
    ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
    user,
  );
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = randomPort();
    // Speed over durability: the data directory is thrown away after the run.
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${base} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    try {
      run(
        'pg_ctl',
        ['-D', data, '-o', options, '-l', join(base, 'server.log'), '-w', '-t', '30', 'start'],
        user,
      );
      return {
        url: `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`,
        stop: () => {
          spawnSync(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { ...(user ?? {}) });
          rmSync(base, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error; // most likely the port was taken: try another
    }
  }
  rmSync(base, { recursive: true, force: true });
  throw lastError;
}

/** A new, empty database `name` on a running server; answers its connection URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
