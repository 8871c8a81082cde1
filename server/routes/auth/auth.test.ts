import { describe, expect, it } from 'vitest';
import { backend, bearer, freshDbTarget, PASSWORD, useSeededHub } from '../../test/hubFixture';
import { createSession } from '../../store/accounts';
import { sha256Hex } from '../../store/secrets';

describe(`hub: logins and sessions (${backend})`, () => {
  const hub = useSeededHub({ loginRateLimit: { max: 3, windowMs: 60_000 } });

  const me = (headers: Record<string, string>) => hub.app.inject({ method: 'GET', url: '/auth/me', headers });

  it('logs in with the password, keeps only a hash of the token and an argon2id hash of the password', async () => {
    const response = await me(bearer(hub.world.specA1));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      username: 'spec.a1',
      role: 'specialist',
      teamId: hub.world.teamA,
    });
    const [session] = await hub.app.db.query<{ token_sha256: string }>(
      'SELECT token_sha256 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1',
      ['spec.a1'],
    );
    expect(session!.token_sha256).toBe(sha256Hex(hub.world.specA1.token));
    const [user] = await hub.app.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE username = $1',
      ['spec.a1'],
    );
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const username of ['spec.a2', 'nobody']) {
      const response = await hub.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username, password: 'wrong password' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('limits login attempts per user name and address', async () => {
    const attempt = () =>
      hub.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username: 'lead.b', password: 'guess' },
      });
    const codes = [];
    for (let i = 0; i < 5; i += 1) codes.push((await attempt()).statusCode);
    // lead.b's sign-in in seedWorld was the first of the three allowed.
    expect(codes).toEqual([401, 401, 429, 429, 429]);
    const limited = await attempt();
    expect(limited.json().error.code).toBe('rate_limited');
    // Another account from the same address is not locked out by it.
    const other = await hub.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'spec.b', password: PASSWORD },
    });
    expect(other.statusCode).toBe(200);
  });

  it('locks an account after repeated wrong passwords, whatever instance or address they come from', async () => {
    const { MAX_FAILED_LOGINS, checkLogin } = await import('../../store/accounts');
    // Straight at the store, as other instances' requests would arrive (no per-address limit).
    for (let i = 0; i < MAX_FAILED_LOGINS; i += 1) {
      expect(await checkLogin(hub.app.db, 'spec.b', 'guess')).toEqual({ ok: false, locked: false });
    }
    expect(await checkLogin(hub.app.db, 'spec.b', PASSWORD)).toEqual({ ok: false, locked: true });
    const response = await hub.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'spec.b', password: PASSWORD },
    });
    expect(response.statusCode).toBe(429);
    expect(response.json().error.message).toMatch(/locked/);
    await hub.app.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE username = 'spec.b'`,
    );
    // Once the lock has run out, one more wrong password does not lock again at once.
    expect(await checkLogin(hub.app.db, 'spec.b', 'guess')).toEqual({ ok: false, locked: false });
    const unlocked = await checkLogin(hub.app.db, 'spec.b', PASSWORD);
    expect(unlocked.ok).toBe(true);
    const [row] = await hub.app.db.query<{ failed_logins: number }>(
      `SELECT failed_logins FROM users WHERE username = 'spec.b'`,
    );
    expect(row!.failed_logins).toBe(0);
  });

  it('refuses missing, malformed, unknown, expired and revoked tokens', async () => {
    expect((await me({})).statusCode).toBe(401);
    expect((await me({ authorization: 'Bearer short' })).statusCode).toBe(401);
    expect((await me({ authorization: `Bearer ${'x'.repeat(43)}` })).statusCode).toBe(401);

    const expired = await createSession(hub.app.db, hub.world.specA2.user.id, 60);
    await hub.app.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_sha256 = $1`,
      [sha256Hex(expired.token)],
    );
    expect((await me({ authorization: `Bearer ${expired.token}` })).statusCode).toBe(401);

    const revoked = await createSession(hub.app.db, hub.world.specA2.user.id, 60);
    const headers = { authorization: `Bearer ${revoked.token}` };
    expect((await me(headers)).statusCode).toBe(200);
    const logout = await hub.app.inject({ method: 'POST', url: '/auth/logout', headers });
    expect(logout.statusCode).toBe(200);
    const after = await me(headers);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
  });

  it('answers schema violations with invalid_request and changes nothing', async () => {
    const response = await hub.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'x' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
  });

  it('describes every route in /openapi.json', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/auth/login', '/intake/tasks', '/sync/push', '/sync/pull', '/blobs/{sha256}']),
    );
    expect(response.json().paths['/sync/push'].post.requestBody).toBeDefined();
  });
});

describe(`hub: one error handler (${backend})`, () => {
  it('hides the details of a 5xx', async () => {
    const { buildHub } = await import('../../app');
    const app = await buildHub({ db: await freshDbTarget() });
    app.get('/boom', async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    });
    await app.ready();
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: { code: 'internal', message: 'the hub could not do this; see its log' },
    });
    expect(response.body).not.toContain('secret');
    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    await app.close();
  });

  it('refuses an invalid configuration at start', async () => {
    const { buildHub } = await import('../../app');
    await expect(buildHub({ db: { kind: 'postgres', url: 'mysql://x' } })).rejects.toThrow(
      /invalid hub configuration/,
    );
  });
});
