import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { createIntakeWriter } from '../store/intakeWriter';
import { runChunkedImport } from '../intake/chunkedImport';
import { DeskFailure, type IntakeProgress } from '../../common/contract';

// `npm run import -- --db PATH FILE`: imports into that database and prints the report as JSON.
// Exit 0 when the file was readable (even with rejected rows), 1 when it was not, 2 on usage.
// The import is the desk's chunked import, run in this process (it has nothing else to do);
// progress goes to stderr when stderr is a terminal, stdout keeps only the report.
const { values, positionals } = parseArgs({
  options: { db: { type: 'string' }, actor: { type: 'string', default: 'cli' } },
  allowPositionals: true,
});
const file = positionals[0];
if (!values.db || !file || positionals.length !== 1) {
  process.stderr.write('usage: npm run import -- --db PATH FILE\n');
  process.exit(2);
}

const fileName = basename(file);
const showProgress = process.stderr.isTTY === true;
function progressLine(p: IntakeProgress): string {
  if (p.phase === 'reading') return `${fileName}: reading…`;
  const eta = p.etaMs !== null && p.phase === 'importing' ? ` · ~${Math.ceil(p.etaMs / 1000)} s left` : '';
  const state = p.phase === 'importing' ? 'importing' : p.phase;
  return (
    `${fileName}: ${state} ${p.rowsRead}/${p.totalRows} rows · ${p.accepted} accepted · ` +
    `${p.duplicates} duplicates · ${p.rejected} rejected${eta}`
  );
}

// No top-level await: the CLI is bundled as CommonJS (scripts/build-node.mjs).
async function main(dbPath: string, file: string): Promise<void> {
  const db = openDatabase(dbPath);
  try {
    const writer = createIntakeWriter(db, createAuditLog(db));
    const report = await runChunkedImport(
      writer,
      readFileSync(file),
      {
        importId: randomUUID(),
        fileName,
        startedAt: new Date().toISOString(),
        actor: values.actor!,
      },
      {
        onProgress: showProgress
          ? (p) => {
              // One line, rewritten in place; the last one stays.
              const end = p.phase === 'done' || p.phase === 'cancelled' ? '\n' : '';
              process.stderr.write(`\r\x1b[2K${progressLine(p)}${end}`);
            }
          : undefined,
      },
    );
    // The printed shape is a contract with scripts that read it: codes and params stay in the desk.
    const printed = {
      accepted: report.accepted,
      duplicates: report.duplicates,
      rejected: report.rejected.map(({ row, field, reason }) => ({ row, field, reason })),
    };
    process.stdout.write(`${JSON.stringify(printed)}\n`);
  } catch (error) {
    if (!(error instanceof DeskFailure)) throw error;
    if (showProgress) process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify({ error: { code: 'bad_file', message: error.message } })}\n`);
    process.exitCode = 1;
  } finally {
    db.close();
  }
}
void main(values.db, file);
