import { copyFileSync, rmSync } from 'node:fs';
import { openDesk } from '../main/app/openDesk';
import { clockStartingAt } from '../main/app/clock';
import type { IntakeReport, Result } from '../common/contract';
import { percentile, timeMs } from './stats';

const FILTERS = [
  {},
  { status: 'new' },
  { method: 'electronic' },
  { due: 'today' },
  { due: 'overdue' },
  { due: 'callbacks' },
  { status: 'new', method: 'electronic' },
];
/** A specialist pages and searches at human pace, not in a tight loop. */
const SAMPLE_EVERY_MS = 20;

/**
 * Queue pages through the dispatch while an import runs in the same desk back end (openDesk, so
 * in its worker thread): the desk starts from a copy of `dbPath` (its queue already full) and
 * imports `csv`, a file of new tasks. Samples are taken from the import's first progress to its end.
 */
export async function measurePagesDuringImport(options: { dbPath: string; now: string; csv: Uint8Array }) {
  const copy = options.dbPath.replace(/\.sqlite$/, '-during-import.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  copyFileSync(options.dbPath, copy);
  const desk = openDesk({ dataDir: '', dbPath: copy, clock: clockStartingAt(options.now) });
  let importing = false;
  desk.onEvent((name, payload) => {
    if (name === 'intakeProgress' && (payload as { phase: string }).phase === 'importing') importing = true;
  });
  const dataBase64 = Buffer.from(options.csv).toString('base64');
  let ended = false;
  const imported = timeMs(
    () =>
      desk.dispatch('intakeImport', {
        fileName: 'during.csv',
        dataBase64,
        importId: 'bench-during-import',
      }) as Promise<Result<IntakeReport>>,
  ).finally(() => (ended = true));
  const samples: number[] = [];
  for (let i = 0; !ended; i++) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    if (!importing || ended) continue;
    const params = { filter: FILTERS[i % FILTERS.length], sort: i % 2 ? 'priority' : 'deadline', limit: 50 };
    const { ms, value } = await timeMs(() => desk.dispatch('queuePage', params));
    if (!value.ok) throw new Error(value.error.message);
    samples.push(ms);
  }
  const { ms: importMs, value: result } = await imported;
  desk.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  if (!result.ok) throw new Error(result.error.message);
  return {
    pageP95DuringImportMs: percentile(samples, 95),
    samples: samples.length,
    importMs,
    accepted: result.value.accepted,
  };
}
