// Loads the configured seal when the hub starts: a missing file, a wrong password, a key that is
// not the certificate's or an expired certificate stops the hub with the reason, instead of the
// first proof failing later.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SealConfig } from '../config';
import { DEMO_SEAL_FILES } from './demoSeal';
import { identityFromPem, identityFromPkcs12, type SealIdentity } from './sealIdentity';

export interface LoadedSeal {
  identity: SealIdentity;
  /** The root certificate(s), PEM, that verify this seal (for verifiers and the verify page). */
  trustedRootsPem: string[];
}

const read = (file: string, what: string) => {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`the seal's ${what} (${file}) cannot be read: ${(e as Error).message}`);
  }
};

function passwordOf(config: Extract<SealConfig, { kind: 'pkcs12' }>): string {
  if (config.password !== undefined) return config.password;
  if (config.passwordFile)
    return read(config.passwordFile, 'password file')
      .toString('utf8')
      .replace(/\r?\n$/, '');
  const value = process.env[config.passwordEnv!];
  if (value === undefined) throw new Error(`the seal's password variable ${config.passwordEnv} is not set`);
  return value;
}

export async function loadSeal(config: SealConfig, now = new Date()): Promise<LoadedSeal> {
  try {
    if (config.kind === 'demo') {
      const file = (name: string) => join(config.dir, name);
      const identity = await identityFromPem(
        read(file(DEMO_SEAL_FILES.certificates), 'certificate').toString('utf8'),
        read(file(DEMO_SEAL_FILES.key), 'key').toString('utf8'),
        now,
      );
      return { identity, trustedRootsPem: [read(file(DEMO_SEAL_FILES.root), 'root').toString('utf8')] };
    }
    const identity = await identityFromPkcs12(read(config.file, 'PKCS#12 file'), passwordOf(config), now);
    return { identity, trustedRootsPem: [read(config.rootFile, 'root certificate').toString('utf8')] };
  } catch (e) {
    throw new Error(`the seal cannot be used: ${(e as Error).message}`);
  }
}
