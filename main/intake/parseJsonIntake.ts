import { IntakeFileError } from './intakeFileError';
import { validatedRows, type IntakeRows, type RawIntakeRow } from './intakeRow';

function tasksOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  const tasks =
    typeof document === 'object' && document !== null ? (document as { tasks?: unknown }).tasks : undefined;
  if (Array.isArray(tasks)) return tasks;
  throw new IntakeFileError('bad_shape', 'The JSON must be {"tasks": [...]} or an array of tasks.');
}

/** One row per entry of `tasks` (or of a bare array), numbered from 1; validated when taken. */
export function parseJsonIntake(text: string): IntakeRows {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new IntakeFileError('not_json', `The file is not valid JSON: ${(error as Error).message}`);
  }
  const tasks = tasksOf(document);
  if (tasks.length === 0) throw new IntakeFileError('empty', 'The file has no tasks.');
  function* inputs(): Generator<RawIntakeRow> {
    for (const [index, task] of tasks.entries()) yield { row: index + 1, input: task };
  }
  return { count: tasks.length, inputs, rows: () => validatedRows(inputs()) };
}
