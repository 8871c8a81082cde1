import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Where main keeps a secret (the hub session token): never in the database, never in the
 * renderer, never in a log. The same shape as the softphone's store for the SIP password, so
 * the two can become one.
 */
export interface SecretStore {
  read(): string | null;
  write(secret: string): void;
  clear(): void;
}

/** A secret as UTF-8 in a file only its owner can read (0600), replaced atomically. */
export function createFileSecretStore(path: string): SecretStore {
  return {
    read() {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    write(secret) {
      const temporary = `${path}.${process.pid}.tmp`;
      rmSync(temporary, { force: true });
      // Created 0600 (not chmod-ed after): the secret is never readable by others, even briefly.
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, secret, null, 'utf8');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
    },
    clear() {
      rmSync(path, { force: true });
    },
  };
}

/** For a desk on an in-memory database (tests): the secret lives as long as the process. */
export function memorySecretStore(): SecretStore {
  let secret: string | null = null;
  return {
    read: () => secret,
    write: (next) => {
      secret = next;
    },
    clear: () => {
      secret = null;
    },
  };
}
