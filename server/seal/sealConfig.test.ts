// The seal as the hub is configured with it: `hub:admin seal-demo` run as the real CLI, the demo
// files or a PKCS#12 file loaded and checked when the hub starts, a bad one stopping the start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, freshDbTarget, startHub } from '../test/hubFixture';
import type { DemoSealPaths } from './demoSeal';
import { demoSealAsPkcs12 } from './testing/pkcs12';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'seal-config-'));
let demo: DemoSealPaths;
let p12: string;

beforeAll(() => {
  const out = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli/admin.ts',
      'seal-demo',
      '--out',
      join(dir, 'demo'),
      '--center',
      '赤峰市集约送达中心',
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HUB_LOG_LEVEL: 'silent' } },
  );
  if (out.status !== 0) throw new Error(out.stderr);
  demo = (JSON.parse(out.stdout) as { seal: DemoSealPaths }).seal;
  p12 = demoSealAsPkcs12(demo, join(dir, 'seal.p12'), 'p12-pass');
  writeFileSync(join(dir, 'password'), 'p12-pass\n', { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`the hub's seal configuration (${backend})`, () => {
  it('seal-demo writes the root, the certificates and a 0600 key', () => {
    expect(statSync(demo.key).mode & 0o777).toBe(0o600);
    expect(readFileSync(demo.certificates, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const again = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'server/cli/admin.ts', 'seal-demo', '--out', demo.dir],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/a seal key exists/);
  });

  it('loads the demo seal at start', async () => {
    const app = await startHub(await freshDbTarget(), { seal: { kind: 'demo', dir: demo.dir } });
    try {
      expect(app.seal?.identity.signerName).toBe('赤峰市集约送达中心 电子印章');
      expect(app.seal?.trustedRootsPem[0]).toBe(readFileSync(demo.root, 'utf8'));
    } finally {
      await app.close();
    }
  });

  it('loads a PKCS#12 seal with its password from a file or the environment', async () => {
    const db = await freshDbTarget();
    const app = await startHub(db, {
      seal: { kind: 'pkcs12', file: p12, passwordFile: join(dir, 'password'), rootFile: demo.root },
    });
    expect(app.seal?.identity.chain).toHaveLength(1);
    await app.close();
    process.env.TEST_SEAL_PASSWORD = 'p12-pass';
    const again = await startHub(await freshDbTarget(), {
      seal: { kind: 'pkcs12', file: p12, passwordEnv: 'TEST_SEAL_PASSWORD', rootFile: demo.root },
    });
    expect(again.seal?.identity.signerName).toBe('赤峰市集约送达中心 电子印章');
    await again.close();
  });

  it('refuses to start with a seal it cannot use, and says why', async () => {
    await expect(
      startHub(await freshDbTarget(), {
        seal: { kind: 'pkcs12', file: p12, password: 'wrong', rootFile: demo.root },
      }),
    ).rejects.toThrow(/the seal cannot be used: the PKCS#12 file could not be opened/);
    await expect(
      startHub(await freshDbTarget(), { seal: { kind: 'demo', dir: join(dir, 'nowhere') } }),
    ).rejects.toThrow(/the seal's certificate .* cannot be read/);
    await expect(
      startHub(await freshDbTarget(), {
        seal: { kind: 'pkcs12', file: p12, rootFile: demo.root } as never,
      }),
    ).rejects.toThrow(/exactly one of password, passwordFile, passwordEnv/);
  });

  it('starts without a seal (proofs are then filed unsealed)', async () => {
    const app = await startHub(await freshDbTarget());
    expect(app.seal).toBeNull();
    await app.close();
  });
});
