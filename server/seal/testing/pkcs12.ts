import { execFileSync } from 'node:child_process';
import type { DemoSealPaths } from '../demoSeal';

// A demo seal's key and certificate as the PKCS#12 file a center's real seal comes in, written
// by openssl (not by our own code, so the loader is tested against a file it did not make).

/** Writes `out` protected with `password`; returns `out`. */
export function demoSealAsPkcs12(seal: DemoSealPaths, out: string, password: string): string {
  execFileSync('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    seal.key,
    '-in',
    seal.certificates,
    '-out',
    out,
    '-passout',
    `pass:${password}`,
  ]);
  return out;
}
