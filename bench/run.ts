import { runQueueBench } from './queueBench';
import { runCallBench } from './callBench';
import { writeResult } from './stats';

// `npm run bench -- [suite…]`: runs the named suites (all when none) and writes bench/results/<suite>.json.
const SUITES: Record<string, () => Promise<object>> = { queue: runQueueBench, call: runCallBench };

const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !(n in SUITES));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(SUITES)) {
  const result = await SUITES[name]!();
  writeResult(name, result);
  console.log(`${name}: ${JSON.stringify(result)}`);
}
