import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeSync,
} from 'node:fs';

// The evidence folder's file primitives. Durability policy: every chunk is written and fdatasync'd
// before the call that brought it is answered (about once a second per call); a new file's folder
// entry is fsync'd too. Nothing here ever replaces bytes that were acknowledged.

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** fsync of a folder makes a file created in it survive a power cut (POSIX; a no-op elsewhere). */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open a folder for syncing; the file's own fsync still holds.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Creates a file that must not exist yet (O_EXCL): evidence files are never replaced. */
export function createExclusive(path: string): number {
  return openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
}

export function openForAppend(path: string): number {
  return openSync(path, constants.O_RDWR);
}

/**
 * Writes `bytes` at `offset` and syncs. Bytes past `offset` can only be the remains of a write that
 * failed before it was acknowledged (e.g. a full disk); they are cut first, so the file is exactly
 * the acknowledged chunks plus this one.
 */
export function writeAtDurably(fd: number, offset: number, bytes: Buffer): void {
  if (fstatSync(fd).size > offset) ftruncateSync(fd, offset);
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written, offset + written);
  }
  fdatasyncSync(fd);
}

/** Writes a whole new file (never an existing one) and syncs it and its folder. */
export function writeNewFileDurably(path: string, dir: string, bytes: Buffer): void {
  const fd = createExclusive(path);
  try {
    writeAtDurably(fd, 0, bytes);
  } finally {
    closeSync(fd);
  }
  syncDir(dir);
}
