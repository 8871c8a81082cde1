import { HubError } from '../../errors';
import { sha256Of } from '../../store/blobs';

/** Strict base64: the hub would rather refuse a file than store bytes nobody sent. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface IntakeFiles {
  /** The tasks as sent, with each `contentBase64` replaced by the `sha256` of its bytes. */
  tasks: unknown[];
  files: Map<string, Buffer>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Takes the document files out of intake tasks and checks them: each file is hashed, and a
 * document that names its SHA-256 must match its bytes — otherwise the whole request is refused
 * (a damaged upload is sent again, not half-imported).
 */
export function takeDocumentFiles(tasks: readonly unknown[]): IntakeFiles {
  const files = new Map<string, Buffer>();
  const cleaned = tasks.map((task, taskIndex) => {
    if (!isRecord(task) || !Array.isArray(task.documents)) return task;
    const documents = task.documents.map((document: unknown, documentIndex: number) => {
      if (!isRecord(document) || document.contentBase64 === undefined) return document;
      const where = { row: taskIndex + 1, document: documentIndex + 1 };
      const { contentBase64, ...rest } = document;
      if (
        typeof contentBase64 !== 'string' ||
        !BASE64.test(contentBase64) ||
        contentBase64.length % 4 !== 0
      ) {
        throw new HubError(
          'invalid_request',
          `row ${where.row}, document ${where.document}: contentBase64 is not base64`,
          where,
        );
      }
      const bytes = Buffer.from(contentBase64, 'base64');
      const actual = sha256Of(bytes);
      const declared = typeof rest.sha256 === 'string' ? rest.sha256.trim().toLowerCase() : '';
      if (declared !== '' && declared !== actual) {
        throw new HubError(
          'hash_mismatch',
          `row ${where.row}, document ${where.document}: the file does not match its sha256`,
          { ...where, declared, actual },
        );
      }
      files.set(actual, bytes);
      return { ...rest, sha256: actual };
    });
    return { ...task, documents };
  });
  return { tasks: cleaned, files };
}
