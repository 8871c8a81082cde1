import type { IntakeTask } from '../../common/intake/taskSchema';
import { validateTaskInput, type FieldError } from '../../common/intake/validateTask';

/** One task of a file: `row` counts from 1 (CSV: data rows after the header; JSON: index in tasks + 1). */
export type IntakeRow = { row: number; task: IntakeTask } | { row: number; errors: FieldError[] };

export function validatedRow(row: number, input: unknown): IntakeRow {
  const result = validateTaskInput(input);
  return result.ok ? { row, task: result.task } : { row, errors: result.errors };
}
