import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { createIntakeWriter } from '../store/intakeWriter';
import { runChunkedImport } from '../intake/chunkedImport';
import { sendFileToHub } from '../intake/hubIntake';
import { IntakeFileError } from '../intake/readIntakeFile';
import { createHubClient, HubRefusal, HubUnreachable } from '../sync/hubClient';
import { checkHubUrl } from '../sync/hubUrl';
import { DeskFailure, type IntakeProgress, type IntakeReport } from '../../common/contract';

// `npm run import -- --db PATH FILE`: imports into that database and prints the report as JSON.
// `npm run import -- --hub URL --key KEY FILE`: sends the file's tasks to that hub's intake (as the
// case system the key belongs to) and prints the same report, the hub's rows being the file's.
// Exit 0 when the file was readable (even with rejected rows), 1 when it was not (or the hub
// refused or could not be reached), 2 on usage.
// The import is the desk's chunked import, run in this process (it has nothing else to do);
// progress goes to stderr when stderr is a terminal, stdout keeps only the report.
const { values, positionals } = parseArgs({
  options: {
    db: { type: 'string' },
    hub: { type: 'string' },
    key: { type: 'string' },
    actor: { type: 'string', default: 'cli' },
  },
  allowPositionals: true,
});
const file = positionals[0];
const toDb = values.db !== undefined && values.hub === undefined && values.key === undefined;
const toHub = values.db === undefined && values.hub !== undefined && values.key !== undefined;
if ((!toDb && !toHub) || !file || positionals.length !== 1) {
  process.stderr.write(
    'usage: npm run import -- --db PATH FILE\n       npm run import -- --hub URL --key KEY FILE\n',
  );
  process.exit(2);
}

const filePath: string = file;
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

// The printed shape is a contract with scripts that read it: codes and params stay in the desk.
function printReport(report: Pick<IntakeReport, 'accepted' | 'duplicates' | 'rejected'>): void {
  const printed = {
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected: report.rejected.map(({ row, field, reason }) => ({ row, field, reason })),
  };
  process.stdout.write(`${JSON.stringify(printed)}\n`);
}

function printError(code: string, message: string): void {
  if (showProgress) process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.exitCode = 1;
}

async function importToHub(hubUrl: string, apiKey: string): Promise<void> {
  let url: string;
  try {
    url = checkHubUrl(hubUrl);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const client = createHubClient({ url, apiKey });
  try {
    const report = await sendFileToHub(readFileSync(filePath), fileName, {
      send: (batch) => client.intake(batch),
      onBatch: showProgress
        ? ({ rowsProcessed, totalRows }) =>
            process.stderr.write(`\r\x1b[2K${fileName}: sent ${rowsProcessed}/${totalRows} rows to the hub`)
        : undefined,
    });
    if (showProgress) process.stderr.write('\n');
    printReport(report);
  } catch (error) {
    // Batches already sent stay on the hub; sending the file again reports them as duplicates.
    if (error instanceof IntakeFileError) printError('bad_file', error.message);
    else if (error instanceof HubRefusal) printError('hub_refused', `${error.code}: ${error.message}`);
    else if (error instanceof HubUnreachable) printError('hub_unreachable', error.message);
    else throw error;
  }
}

async function importToDb(dbPath: string): Promise<void> {
  const db = openDatabase(dbPath);
  try {
    const writer = createIntakeWriter(db, createAuditLog(db));
    const report = await runChunkedImport(
      writer,
      readFileSync(filePath),
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
    printReport(report);
  } catch (error) {
    if (!(error instanceof DeskFailure)) throw error;
    printError('bad_file', error.message);
  } finally {
    db.close();
  }
}

// No top-level await: the CLI is bundled as CommonJS (scripts/build-node.mjs).
void (toHub ? importToHub(values.hub!, values.key!) : importToDb(values.db!));
