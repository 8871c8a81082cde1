import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openHubDb } from '../db/driver';
import { migrate } from '../db/migrate';
import { HubError } from '../errors';
import { ADMIN_USAGE, runAdminCommand } from './adminCommands';
import { dbTargetFrom } from './dbOption';
import { runSealDemoCommand } from './sealDemoCommand';

// `npm run hub:admin -- [--db URL | --pglite DIR] <command> ...`: teams, users, API keys. Prints
// JSON on stdout; exit 1 with the reason on stderr. A PGlite directory is opened by one process
// at a time: stop the hub first (PostgreSQL has no such limit).
const { values, tokens } = parseArgs({
  options: { db: { type: 'string' }, pglite: { type: 'string' } },
  strict: false,
  tokens: true,
});
const rest = process.argv.slice(2).filter((_, index) => {
  const consumed = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'option' && (token.name === 'db' || token.name === 'pglite')) {
      consumed.add(token.index);
      if (token.inlineValue === false) consumed.add(token.index + 1);
    }
  }
  return !consumed.has(index);
});

// seal-demo writes files only: no database to open.
if (rest[0] === 'seal-demo') {
  try {
    process.stdout.write(`${JSON.stringify(await runSealDemoCommand(rest.slice(1)), null, 2)}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`hub:admin: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

const db = await openHubDb(
  dbTargetFrom({
    db: typeof values.db === 'string' ? values.db : undefined,
    pglite: typeof values.pglite === 'string' ? values.pglite : undefined,
  }),
);
let exitCode = 0;
try {
  await migrate(db);
  const answer = await runAdminCommand(db, rest);
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
} catch (error) {
  const message =
    error instanceof z.ZodError
      ? z.prettifyError(error)
      : error instanceof HubError || error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`${message === ADMIN_USAGE ? '' : `hub:admin: ${message}\n`}${ADMIN_USAGE}\n`);
  exitCode = 1;
} finally {
  await db.close();
}
process.exit(exitCode);
