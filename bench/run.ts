import './quietHub';
import { runQueueBench, runStartBench } from './queueBench';
import { runReceiptBench } from './receiptBench';
import { runSyncBench } from './syncBench';
import { runCallBench } from './callBench';
import { runSendBench } from './sendBench';
import { writeResult } from './stats';

// `npm run bench -- [suite…]`: runs the named suites (all but `start` when none; `start` is
// queue's start-up part alone, on the database a queue run left) and writes bench/results/<suite>.json.
/** A suite answering null printed a partial run and writes nothing. */
const SUITES: Record<string, () => Promise<object | null>> = {
  queue: runQueueBench,
  start: runStartBench,
  receipt: runReceiptBench,
  sync: runSyncBench,
  call: runCallBench,
  send: runSendBench,
};

const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !(n in SUITES));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(SUITES).filter((n) => n !== 'start')) {
  const result = await SUITES[name]!();
  if (result === null) continue;
  writeResult(name, result);
  console.log(`${name}: ${JSON.stringify(result)}`);
}
