import { describe, expect, it } from 'vitest';
import { openDesk } from '../app/openDesk';

// The sync and lead calls through the one dispatch, on a desk without a hub: bad input is refused
// by the contract before a handler runs, and calls that need a hub say why with a code.

const desk = () => openDesk({ dataDir: '', dbPath: ':memory:' });

describe('sync and lead calls without a hub', () => {
  it('reports a desk working alone', async () => {
    const backend = desk();
    expect(await backend.dispatch('hubSession', {})).toEqual({
      ok: true,
      value: { hubUrl: null, embedded: null, user: null, expiresAt: null },
    });
    expect(await backend.dispatch('syncStatus', {})).toMatchObject({
      ok: true,
      value: { state: 'local_only', pendingOperations: 0, pendingMb: 0, lastSyncedAt: null },
    });
    expect(await backend.dispatch('syncNow', {})).toMatchObject({
      ok: false,
      error: { code: 'not_configured' },
    });
    expect(await backend.dispatch('leadQueue', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    backend.close();
  });

  it('refuses malformed calls before any handler runs', async () => {
    const backend = desk();
    for (const [name, params] of [
      ['hubLogin', { username: 'a' }],
      ['hubLogin', { url: 'ftp://x', username: 'a', password: 'b' }],
      ['hubLogin', { username: 'a', password: 'b', token: 'smuggled' }],
      ['leadReassign', { taskIds: [], assigneeId: null, reason: 'x' }],
      [
        'leadReassign',
        { taskIds: ['0190f7a0-0000-7000-8000-000000000001'], assigneeId: null, reason: '   ' },
      ],
      ['leadPriority', { taskIds: ['not-a-uuid'], priority: 'urgent', reason: 'x' }],
      ['leadAutoAssign', { reason: '   ' }],
      ['leadQueue', { filter: 'stuck', stuckDays: 0 }],
      ['taskSyncState', { taskId: -1 }],
    ] as const) {
      expect(await backend.dispatch(name, params)).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
    expect(
      await backend.dispatch('hubLogin', { url: 'http://hub.court.example', username: 'a', password: 'b' }),
    ).toMatchObject({ ok: false, error: { code: 'insecure_hub_url' } });
    expect(await backend.dispatch('hubSession', {})).toMatchObject({ ok: true, value: { hubUrl: null } });
    backend.close();
  });
});
