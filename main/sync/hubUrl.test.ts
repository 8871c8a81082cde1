import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../app/secretStore';
import { backoffDelay } from './backoff';
import { checkHubUrl } from './hubUrl';

describe('hub URL rule', () => {
  it('takes https anywhere and plain http on loopback only', () => {
    expect(checkHubUrl('https://hub.court.example/')).toBe('https://hub.court.example');
    expect(checkHubUrl('http://127.0.0.1:8780')).toBe('http://127.0.0.1:8780');
    expect(checkHubUrl('http://localhost:8780/')).toBe('http://localhost:8780');
    expect(() => checkHubUrl('http://hub.court.example')).toThrow(
      expect.objectContaining({ code: 'insecure_hub_url' }),
    );
    expect(() => checkHubUrl('http://10.0.0.5:8780')).toThrow(
      expect.objectContaining({ code: 'insecure_hub_url' }),
    );
    expect(() => checkHubUrl('ftp://hub.court.example')).toThrow(
      expect.objectContaining({ code: 'insecure_hub_url' }),
    );
    expect(() => checkHubUrl('not a url')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => checkHubUrl('https://u:p@hub.court.example')).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });
});

describe('backoff', () => {
  it('doubles up to the cap, jittered within [half, full]', () => {
    const at = (failures: number, random: number) =>
      backoffDelay(failures, { baseMs: 1000, maxMs: 8000, random: () => random });
    expect([1, 2, 3, 4, 5].map((n) => at(n, 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5].map((n) => at(n, 0))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe('secret store', () => {
  it('keeps the secret in a file only its owner can read, and forgets it on clear', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'secret-')), 'hub-session.secret');
    const store = createFileSecretStore(path);
    expect(store.read()).toBeNull();
    store.write('token-1');
    store.write('token-2');
    expect(store.read()).toBe('token-2');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    store.clear();
    expect(store.read()).toBeNull();
  });
});
