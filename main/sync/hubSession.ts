import { z } from 'zod';
import { DeskFailure, type HubSessionView } from '../../common/contract';
import { HubUser } from '../../common/sync/hubApi';
import type { SqliteDatabase } from '../../native/sqlite';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import type { SecretStore } from '../app/secretStore';
import { createHubClient, HubRefusal, HubUnreachable } from './hubClient';
import { checkHubUrl } from './hubUrl';

// The desk's session with its hub. The hub URL is a setting (SQLite); the token is a secret
// (main/app/secretStore.ts, a 0600 file): never in the database, the renderer or a log.

const StoredSession = z.object({ url: z.string(), token: z.string(), expiresAt: z.string(), user: HubUser });
type StoredSession = z.infer<typeof StoredSession>;

export interface HubSessionOptions {
  /** A hub given at start (`--hub-url`, DESK_HUB_URL): wins over the stored setting. */
  configuredUrl?: string | null;
  /** The embedded demo hub's accounts, shown on the login screen. */
  embedded?: { accounts: { username: string; password: string; role: string }[] } | null;
}

export function createHubSession(deps: {
  db: SqliteDatabase;
  secrets: SecretStore;
  clock: Clock;
  log: Logger;
  options: HubSessionOptions;
  /** Called when the signed-in user changes (login, logout, a token the hub no longer takes). */
  onChange(user: HubUser | null): void;
}) {
  const { db, secrets, clock, log } = deps;
  const readSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const writeSetting = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const configured = deps.options.configuredUrl ? checkHubUrl(deps.options.configuredUrl) : null;

  const hubUrl = (): string | null => configured ?? readSetting.get('hub.url')?.value ?? null;

  function stored(): StoredSession | null {
    const raw = secrets.read();
    if (!raw) return null;
    const parsed = StoredSession.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    return parsed.data;
  }

  /** The session while it is valid and for this hub; null otherwise. */
  function current(): StoredSession | null {
    const session = stored();
    if (!session || session.url !== hubUrl()) return null;
    if (Date.parse(session.expiresAt) <= clock.now().getTime()) return null;
    return session;
  }

  function view(): HubSessionView {
    const session = current();
    return {
      hubUrl: hubUrl(),
      embedded: deps.options.embedded ?? null,
      user: session?.user ?? null,
      expiresAt: session?.expiresAt ?? null,
    };
  }

  return {
    current,
    view,
    hubUrl,
    /** The user of the last session, kept after it expires: their queued changes are theirs. */
    lastUserId: () => readSetting.get('hub.lastUserId')?.value ?? null,

    async login(input: { url?: string; username: string; password: string }): Promise<HubSessionView> {
      const url = checkHubUrl(input.url ?? hubUrl() ?? '');
      if (configured && url !== configured) {
        throw new DeskFailure('refused', `this desk is set to work with ${configured}`);
      }
      let answer;
      try {
        answer = await createHubClient({ url }).login(input.username, input.password);
      } catch (error) {
        if (error instanceof HubUnreachable)
          throw new DeskFailure('hub_unreachable', `the hub at ${url} does not answer`);
        if (error instanceof HubRefusal) {
          throw new DeskFailure(error.status === 401 ? 'unauthorized' : 'refused', error.message, {
            hubCode: error.code,
          });
        }
        throw error;
      }
      secrets.write(
        JSON.stringify({ url, token: answer.token, expiresAt: answer.expiresAt, user: answer.user }),
      );
      db.transaction(() => {
        if (!configured) writeSetting.run('hub.url', url);
        writeSetting.run('hub.lastUserId', answer.user.id);
      })();
      log.info({ userId: answer.user.id, role: answer.user.role }, 'signed in to the hub');
      deps.onChange(answer.user);
      return view();
    },

    async logout(): Promise<HubSessionView> {
      const session = current();
      secrets.clear();
      if (session) {
        // Best effort: the hub revokes the token; offline, it simply expires there.
        await createHubClient({ url: session.url, token: session.token })
          .logout()
          .catch((error: unknown) => log.warn({ err: (error as Error).message }, 'hub logout not reached'));
      }
      deps.onChange(null);
      return view();
    },

    /** The hub refused the token (expired or revoked): forget it, the desk asks to sign in again. */
    expire(): void {
      secrets.clear();
      log.warn('the hub refused the session token; sign in again');
      deps.onChange(null);
    },
  };
}
export type HubSession = ReturnType<typeof createHubSession>;
