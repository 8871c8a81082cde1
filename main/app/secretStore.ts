import { readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { syncDir, writeNewFileDurably } from '../evidence/durableFiles';

/**
 * Where main keeps a secret (the SIP password, the hub session token): never in the database,
 * never in the renderer, never in a log. The browser host keeps it in a file only its owner can
 * read (created 0600 with O_EXCL, then renamed over the old one); Electron encrypts it with
 * safeStorage (main/electron/safeStorageSecret.ts) on top of the same file handling.
 */
export interface SecretStore {
  read(): string | null;
  write(secret: string): void;
  clear(): void;
}

/** Bytes in a file of mode 0600, replaced atomically (written beside it, then renamed over it). */
export function createSecretFile(path: string) {
  return {
    read(): Buffer | null {
      try {
        return readFileSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    write(bytes: Buffer): void {
      const temporary = `${path}.${process.pid}.tmp`;
      rmSync(temporary, { force: true });
      writeNewFileDurably(temporary, dirname(path), bytes);
      renameSync(temporary, path);
      syncDir(dirname(path));
    },
    clear(): void {
      rmSync(path, { force: true });
    },
  };
}

/** A secret as UTF-8 in an owner-only file. */
export function createFileSecretStore(path: string): SecretStore {
  const file = createSecretFile(path);
  return {
    read: () => file.read()?.toString('utf8') ?? null,
    write: (secret) => file.write(Buffer.from(secret, 'utf8')),
    clear: () => file.clear(),
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
