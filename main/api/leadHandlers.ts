import { DeskFailure } from '../../common/contract';
import type { SqliteDatabase } from '../../native/sqlite';
import type { Clock } from '../app/clock';
import { createHubClient, HubUnreachable, type HubClient } from '../sync/hubClient';
import { throwHubFailure } from '../sync/hubFailure';
import type { HubSession } from '../sync/hubSession';
import type { SyncEngine } from '../sync/syncEngine';
import type { HandlersOf } from './dispatch';

export interface LeadHandlerDeps {
  db: SqliteDatabase;
  session: HubSession;
  engine: SyncEngine;
  clock: Clock;
}

/**
 * The lead console through main: the hub's lead routes with the desk's session. Every live
 * answer is kept (lead_pictures), so offline the console shows the last synced picture,
 * read-only; moves need the hub and say so when it is not there.
 */
export function createLeadHandlers(
  deps: LeadHandlerDeps,
): HandlersOf<'leadQueue' | 'leadLoad' | 'leadReassign' | 'leadPriority' | 'leadAutoAssign'> {
  const { db, session } = deps;
  const keep = db.prepare(
    `INSERT INTO lead_pictures (key, value, as_of) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, as_of = excluded.as_of`,
  );
  const kept = db.prepare<[string], { value: string; asOf: string }>(
    'SELECT value, as_of AS asOf FROM lead_pictures WHERE key = ?',
  );

  function hub(): HubClient {
    const signedIn = session.current();
    if (!signedIn) throw new DeskFailure('unauthorized', 'sign in to the hub first');
    if (signedIn.user.role === 'specialist')
      throw new DeskFailure('forbidden', 'the lead console is for leads');
    return createHubClient({ url: signedIn.url, token: signedIn.token });
  }

  const translate = (error: unknown): never =>
    throwHubFailure(error, session, 'the hub is out of reach: the console is read-only until it is back');

  async function picture<T>(key: string, fetchLive: (client: HubClient) => Promise<T>) {
    const client = hub();
    try {
      const value = await fetchLive(client);
      const asOf = deps.clock.now().toISOString();
      keep.run(key, JSON.stringify(value), asOf);
      return { live: true, asOf, value };
    } catch (error) {
      if (!(error instanceof HubUnreachable)) return translate(error);
      const last = kept.get(key);
      return { live: false, asOf: last?.asOf ?? null, value: last ? (JSON.parse(last.value) as T) : null };
    }
  }

  const userKey = () => session.current()?.user.id ?? '';

  return {
    leadQueue: (params) =>
      picture(`queue:${userKey()}:${JSON.stringify(params)}`, (client) => client.leadQueue(params)),
    leadLoad: () => picture(`load:${userKey()}`, (client) => client.leadLoad()),
    leadReassign: async (params) => {
      const answer = await hub().leadReassign(params).catch(translate);
      deps.engine.nudge();
      return answer;
    },
    leadPriority: async (params) => {
      const answer = await hub().leadPriority(params).catch(translate);
      deps.engine.nudge();
      return answer;
    },
    leadAutoAssign: async (params) => {
      const answer = await hub().leadAutoAssign(params).catch(translate);
      deps.engine.nudge();
      return answer;
    },
  };
}
