import { readFileSync } from 'node:fs';
import { SipSettings } from '../../common/contract';
import type { ProvidedAccount } from './phoneSettings';

/**
 * The SIP account for automation: a JSON file matching SipSettings (no password in it), the
 * password from an environment variable. A file that does not fit is an error at start-up,
 * naming the field, rather than a desk that cannot register.
 */
export function readSipAccountFile(path: string, password: string | undefined): ProvidedAccount {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--settings ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = SipSettings.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`--settings ${path} is not a SIP account: ${issues.join('; ')}`);
  }
  return { settings: parsed.data, password: password ?? null };
}
