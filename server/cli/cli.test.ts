import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubApp } from '../app';
import { backend, freshDbTarget, intake, intakeTask, startHub } from '../test/hubFixture';
import { DEMO_PASSWORD, DEMO_USERS } from '../store/demoAccounts';
import { runAdminCommand } from './adminCommands';

describe(`hub: admin commands (${backend})`, () => {
  let app: HubApp;
  beforeAll(async () => {
    app = await startHub(await freshDbTarget());
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a team, a lead and a case-system key that work against the hub', async () => {
    const { team } = (await runAdminCommand(app.db, ['create-team', '送达一组'])) as { team: { id: string } };
    await runAdminCommand(app.db, [
      'create-user',
      '--username',
      'lead.one',
      '--name',
      '王组长',
      '--role',
      'lead',
      '--team',
      '送达一组',
      '--password',
      'a long password',
    ]);
    const issued = (await runAdminCommand(app.db, [
      'issue-key',
      '--source-system',
      'court-cms',
      '--team',
      team.id,
    ])) as {
      key: string;
    };
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'lead.one', password: 'a long password' },
    });
    expect(login.json().user).toMatchObject({ role: 'lead', teamId: team.id });
    const report = await intake(app, issued.key, [intakeTask()]);
    expect(report.accepted).toBe(1);
    const listed = (await runAdminCommand(app.db, ['list'])) as { users: { username: string }[] };
    expect(listed.users.map((u) => u.username)).toContain('lead.one');
    expect(await runAdminCommand(app.db, ['revoke-sessions', 'lead.one'])).toEqual({ revoked: 1 });
    const me = await app.inject({
      method: 'GET',
      url: '/auth/me',
      headers: { authorization: `Bearer ${login.json().token}` },
    });
    expect(me.statusCode).toBe(401);
  });

  it('refuses a specialist without a team, a short password and an unknown command', async () => {
    await expect(
      runAdminCommand(app.db, [
        'create-user',
        '--username',
        'x',
        '--name',
        'X',
        '--role',
        'specialist',
        '--password',
        'long enough',
      ]),
    ).rejects.toThrow(/belongs to a team/);
    await expect(
      runAdminCommand(app.db, [
        'create-user',
        '--username',
        'y',
        '--name',
        'Y',
        '--role',
        'admin',
        '--password',
        'short',
      ]),
    ).rejects.toThrow(/at least 8/);
    await expect(runAdminCommand(app.db, ['drop-everything'])).rejects.toThrow(/usage/);
  });
});

describe(`hub: npm run hub with TLS (${backend})`, () => {
  let dir: string;
  let hub: ChildProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    expect(made.status).toBe(0);
  });
  afterAll(() => {
    hub?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its https URL and answers over TLS', async () => {
    const target = await freshDbTarget();
    const dbArgs = target.kind === 'postgres' ? ['--db', target.url] : ['--pglite', join(dir, 'db')];
    hub = spawn(
      join('node_modules', '.bin', 'tsx'),
      [
        'server/cli/hub.ts',
        ...dbArgs,
        '--demo',
        '--port',
        '0',
        '--tls-cert',
        join(dir, 'cert.pem'),
        '--tls-key',
        join(dir, 'key.pem'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      hub!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /HUB_URL (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      hub!.on('exit', (code) => reject(new Error(`hub exited ${code}`)));
    });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      request(`${url}/openapi.json`, { rejectUnauthorized: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    // --demo made the demo team's users; the line says how to sign in.
    const demo = JSON.parse(/HUB_DEMO (.+)/.exec(out)![1]!);
    expect(demo.users.map((u: { username: string }) => u.username)).toEqual(
      DEMO_USERS.map((u) => u.username),
    );
    expect(demo.password).toBe(DEMO_PASSWORD);
    const login = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ username: 'demo.lead', password: demo.password });
      request(
        `${url}/auth/login`,
        { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end(body);
    });
    expect(login).toBe(200);
  }, 60_000);
});
