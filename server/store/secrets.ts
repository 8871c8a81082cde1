import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// Passwords are hashed with argon2id (slow on purpose). Session tokens and API keys are 256 random
// bits, so a plain SHA-256 of them is enough to keep a stolen table useless.

/** argon2id with @node-rs/argon2's defaults (m=19 MiB, t=2, p=1: OWASP's minimum). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const sha256Hex = (value: string | Uint8Array): string =>
  createHash('sha256').update(value).digest('hex');

/** A real hash to check against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | null = null;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword(newSecret()));
