import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHubDb, type HubDb } from './driver';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { backend, freshDbTarget } from '../test/hubFixture';

describe(`migrations (${backend})`, () => {
  let db: HubDb;
  beforeAll(async () => {
    db = await openHubDb(await freshDbTarget());
  });
  afterAll(async () => {
    await db.close();
  });

  it('applies every migration once, in order, and records each', async () => {
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['tasks', 'facts', 'changes', 'sync_clients', 'sessions', 'blobs']),
    );
  });

  it('rolls a failing migration back whole, recording nothing', async () => {
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' },
    ];
    await expect(migrate(db, broken)).rejects.toThrow();
    const tables = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toHaveLength(0);
    const versions = await db.query('SELECT 1 FROM schema_migrations WHERE version = 99');
    expect(versions).toHaveLength(0);
  });
});
