import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS } from '../../common/intake/csvColumns';
import type { RawIntakeTask } from '../../main/demo/demoTasks';

type Raw = {
  sourceSystem?: string;
  sourceTaskId: string;
  case: Record<string, string>;
  party: {
    name: string;
    kind: string;
    role: string;
    idType: string;
    idNumber: string;
    phones: string[];
    addresses: string[];
    email?: string;
  };
  documents: { title: string }[];
  method: string;
  deadline: string;
  priority: string;
  notes: string;
};

/** Generated intake tasks as the case system's CSV export (English names or Chinese labels). */
export function toIntakeCsv(tasks: readonly RawIntakeTask[], header: 'en' | 'zh' = 'zh'): string {
  const rows = (tasks as unknown as Raw[]).map((t) => ({
    sourceSystem: t.sourceSystem ?? '',
    sourceTaskId: t.sourceTaskId,
    caseNumber: t.case.number ?? '',
    cause: t.case.cause ?? '',
    court: t.case.court ?? '',
    department: t.case.department ?? '',
    judge: t.case.judge ?? '',
    clerk: t.case.clerk ?? '',
    partyName: t.party.name,
    partyKind: t.party.kind,
    partyRole: t.party.role,
    idType: t.party.idType,
    idNumber: t.party.idNumber,
    phones: t.party.phones.join(';'),
    addresses: t.party.addresses.join(';'),
    email: t.party.email ?? '',
    documents: t.documents.map((d) => d.title).join(';'),
    method: t.method,
    deadline: t.deadline,
    priority: t.priority,
    notes: t.notes,
  }));
  return stringify(rows, {
    header: true,
    columns: CSV_COLUMNS.map((c) => ({ key: c.name, header: header === 'zh' ? c.label : c.name })),
  });
}
