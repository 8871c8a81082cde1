import type { IntakeTask } from '../../common/intake/taskSchema';
import { validateTaskInput, type FieldError } from '../../common/intake/validateTask';

/** One task of a file: `row` counts from 1 (CSV: data rows after the header; JSON: index in tasks + 1). */
export type IntakeRow = { row: number; task: IntakeTask } | { row: number; errors: FieldError[] };

/** A row as read, before validation: the task input, or why it is not even one (a short CSV row). */
export type RawIntakeRow = { row: number; input: unknown } | { row: number; errors: FieldError[] };

export function validatedRow(row: number, input: unknown): IntakeRow {
  const result = validateTaskInput(input);
  return result.ok ? { row, task: result.task } : { row, errors: result.errors };
}

/**
 * A file's rows, validated one by one as they are taken: a large file's validation is spread over
 * its import (so progress and cancel work from the first row) instead of happening before it.
 */
export interface IntakeRows {
  /** How many rows `rows()` yields (blank CSV rows are skipped and not counted). */
  readonly count: number;
  rows(): Generator<IntakeRow>;
  /** The same rows unvalidated, for a hub's intake, which validates them with the same rules. */
  inputs(): Generator<RawIntakeRow>;
}

/** `rows()` from `inputs()`: each input validated as it is taken. */
export function* validatedRows(inputs: Iterable<RawIntakeRow>): Generator<IntakeRow> {
  for (const raw of inputs) yield 'input' in raw ? validatedRow(raw.row, raw.input) : raw;
}
