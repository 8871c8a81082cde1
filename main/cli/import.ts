import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { createIntakeWriter } from '../store/intakeWriter';
import { importIntakeBytes } from '../intake/importIntake';
import { DeskFailure } from '../../common/contract';

// `npm run import -- --db PATH FILE`: imports into that database and prints the report as JSON.
// Exit 0 when the file was readable (even with rejected rows), 1 when it was not, 2 on usage.
const { values, positionals } = parseArgs({
  options: { db: { type: 'string' }, actor: { type: 'string', default: 'cli' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!values.db || !file || positionals.length !== 1) {
  process.stderr.write('usage: npm run import -- --db PATH FILE\n');
  process.exit(2);
}

const db = openDatabase(values.db);
try {
  const writer = createIntakeWriter(db, createAuditLog(db));
  const report = importIntakeBytes(writer, readFileSync(file), {
    fileName: basename(file),
    at: new Date().toISOString(),
    actor: values.actor!,
  });
  // The printed shape is a contract with scripts that read it: codes and params stay in the desk.
  const printed = {
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected: report.rejected.map(({ row, field, reason }) => ({ row, field, reason })),
  };
  process.stdout.write(`${JSON.stringify(printed)}\n`);
} catch (error) {
  if (!(error instanceof DeskFailure)) throw error;
  process.stdout.write(`${JSON.stringify({ error: { code: 'bad_file', message: error.message } })}\n`);
  process.exitCode = 1;
} finally {
  db.close();
}
