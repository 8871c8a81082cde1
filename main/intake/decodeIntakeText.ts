import iconv from 'iconv-lite';
import { IntakeFileError } from './intakeFileError';

export type IntakeEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const UTF16_LE_BOM = [0xff, 0xfe] as const;
const UTF16_BE_BOM = [0xfe, 0xff] as const;

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  prefix.every((byte, i) => bytes[i] === byte);

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The text, or null when the bytes are not valid in the encoding they were taken for. */
function decodeAs(bytes: Uint8Array): { text: string | null; encoding: IntakeEncoding } {
  if (startsWith(bytes, UTF8_BOM)) {
    return { text: strictUtf8(bytes.subarray(UTF8_BOM.length)), encoding: 'utf-8-bom' };
  }
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  const gb18030 = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  // iconv-lite writes U+FFFD for byte sequences GB18030 does not define.
  return { text: gb18030.includes('\uFFFD') ? null : gb18030, encoding: 'gb18030' };
}

/**
 * Decodes a file as Chinese office software writes CSV: UTF-8 with or without BOM, else GB18030
 * (a superset of GBK/GB2312). Valid UTF-8 is taken as UTF-8 because multi-byte GB18030 text
 * almost never happens to be valid UTF-8, while the reverse guess would garble every file.
 */
export function decodeIntakeText(bytes: Uint8Array): { text: string; encoding: IntakeEncoding } {
  if (startsWith(bytes, UTF16_LE_BOM) || startsWith(bytes, UTF16_BE_BOM)) {
    throw new IntakeFileError('undecodable', 'The file is UTF-16 text; save it as UTF-8 or GB18030 CSV.');
  }
  const { text, encoding } = decodeAs(bytes);
  // NUL never occurs in text files; its presence means a binary file (xlsx, pdf, image).
  if (text === null || text.includes('\0')) {
    throw new IntakeFileError(
      'undecodable',
      'The file is not text in UTF-8 or GB18030; export the task list as CSV or JSON.',
    );
  }
  return { text, encoding };
}
