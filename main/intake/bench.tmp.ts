import { CSV_COLUMNS } from '../../common/intake/csvColumns';
import { validTaskInput, residentId } from '../../common/intake/intakeFixtures';
import { validateTaskInput } from '../../common/intake/validateTask';
import { readIntakeFile } from './readIntakeFile';
import iconv from 'iconv-lite';

const N = 100_000;
const inputs = Array.from({ length: N }, (_, i) => {
  const t = validTaskInput();
  t.sourceTaskId = `T-${i}`;
  t.party.idNumber = residentId(`19${String(50 + (i % 50))}0${1 + (i % 9)}1${i % 10}`);
  t.party.phones = [`138${String(i).padStart(8, '0')}`, '0471-1234567转801'];
  return t;
});
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  let ok = 0;
  for (const input of inputs) if (validateTaskInput(input).ok) ok++;
  console.log('validate 100k', Math.round(performance.now() - t0), 'ms ok', ok);
}
const labels = CSV_COLUMNS.map((c) => c.label);
const lines = [labels.join(',')];
for (const input of inputs) {
  const cells: Record<string, string> = {
    sourceTaskId: input.sourceTaskId, caseNumber: input.case.number, court: input.case.court, cause: input.case.cause,
    partyName: input.party.name, partyKind: '自然人', idType: '居民身份证', idNumber: input.party.idNumber,
    phones: input.party.phones.join('；'), addresses: input.party.addresses.join('；'), documents: '起诉状副本；传票',
    method: '电子送达', deadline: '2024/7/1', priority: '普通', notes: '请上午联系',
  };
  lines.push(CSV_COLUMNS.map((c) => cells[c.name] ?? '').join(','));
}
const text = lines.join('\r\n');
for (const [enc, bytes] of [['utf8', new TextEncoder().encode(text)], ['gb18030', iconv.encode(text, 'gb18030')]] as const) {
  const t0 = performance.now();
  const r = readIntakeFile(bytes, 'big.csv');
  console.log('readIntakeFile', enc, (bytes.length / 1e6).toFixed(1), 'MB', Math.round(performance.now() - t0), 'ms rows', r.rows.length, 'ok', r.rows.filter((x) => 'task' in x).length);
}
const json = new TextEncoder().encode(JSON.stringify({ tasks: inputs }));
const t1 = performance.now();
const rj = readIntakeFile(json, 'big.json');
console.log('readIntakeFile json', (json.length / 1e6).toFixed(1), 'MB', Math.round(performance.now() - t1), 'ms rows', rj.rows.length);
