import { refused, type DeskFailure } from '../../common/contract';

export type IntakeFileErrorCode =
  | 'too_large'
  | 'empty'
  | 'undecodable'
  | 'not_json'
  | 'not_csv'
  | 'bad_shape'
  | 'missing_columns'
  | 'duplicate_columns';

/** The variable parts of a whole-file problem: which columns, which limit. */
export interface IntakeFileErrorParams {
  columns?: string;
  maxMiB?: number;
}

/** A problem with the whole file (as opposed to one row); `message` is the English text the CLI prints. */
export class IntakeFileError extends Error {
  override readonly name = 'IntakeFileError';

  constructor(
    readonly code: IntakeFileErrorCode,
    message: string,
    readonly params: IntakeFileErrorParams = {},
  ) {
    super(message);
  }
}

/** The desk's answer to a file it cannot read: bad_file with the registry's `file_<code>` refusal. */
export function badFile(error: IntakeFileError): DeskFailure {
  const { columns = '', maxMiB = 0 } = error.params;
  switch (error.code) {
    case 'too_large':
      return refused('file_too_large', { maxMiB }, error.message);
    case 'missing_columns':
      return refused('file_missing_columns', { columns }, error.message);
    case 'duplicate_columns':
      return refused('file_duplicate_columns', { columns }, error.message);
    default:
      return refused(`file_${error.code}`, {}, error.message);
  }
}
