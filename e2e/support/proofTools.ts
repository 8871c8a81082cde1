import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

// What a court's clerk runs on a proof of service: `npm run verify` (the bundled CLI), Poppler's
// pdfsig (trusting the center's root in an NSS database of its own) and pdftotext.

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * `npm run verify -- …args` as it runs after `npm run build:node`. Asynchronous: the hub it asks
 * may run in this process.
 */
export function verifyCli(...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/node/verify.mjs'), ...args], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', fail);
    child.once('close', (status) => done({ status, out }));
  });
}

/** pdfsig's report on `pdf`, trusting only `rootFile` (a fresh NSS database under `workDir`). */
export function pdfsigTrusting(pdf: string, rootFile: string, workDir: string): string {
  const nss = join(workDir, 'nss');
  mkdirSync(nss, { recursive: true });
  const created = spawnSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`certutil -N: ${created.stderr}`);
  const trust = ['-A', '-d', `sql:${nss}`, '-n', 'center-root', '-t', 'CT,C,C', '-i', rootFile];
  const trusted = spawnSync('certutil', trust, { encoding: 'utf8' });
  if (trusted.status !== 0) throw new Error(`certutil -A: ${trusted.stderr}`);
  return spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, pdf], { encoding: 'utf8' }).stdout;
}

/** The PDF's text as pdftotext extracts it, without whitespace (long hashes wrap across lines). */
export const pdfTextOf = (pdf: string): string =>
  spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
