export type IntakeFileErrorCode =
  | 'too_large'
  | 'empty'
  | 'undecodable'
  | 'not_json'
  | 'not_csv'
  | 'bad_shape'
  | 'missing_columns'
  | 'duplicate_columns';

/** A problem with the whole file (as opposed to one row); `message` is shown to the user. */
export class IntakeFileError extends Error {
  override readonly name = 'IntakeFileError';

  constructor(
    readonly code: IntakeFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}
