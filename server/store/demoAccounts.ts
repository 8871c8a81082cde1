import type { Queryable } from '../db/driver';
import { createTeam, createUser } from './accounts';

// The embedded hub of a desk without a configured hub (`npm run hub -- --demo`): one team with a
// specialist and a lead, so a newcomer can sign in at once. The desk sends its demo tasks through
// the intake API as the lead. Never for a real center: the password is printed and documented.

export const DEMO_TEAM = '演示组';
export const DEMO_PASSWORD = 'demo-desk-1';
export const DEMO_USERS = [
  { username: 'demo.specialist', displayName: '演示专员', role: 'specialist' },
  { username: 'demo.lead', displayName: '演示组长', role: 'lead' },
] as const;

/** Creates what is missing; safe to run at every start. */
export async function ensureDemoAccounts(db: Queryable): Promise<{ teamId: string }> {
  const existing = await db.query<{ id: string }>('SELECT id FROM teams WHERE name = $1', [DEMO_TEAM]);
  const teamId = existing[0]?.id ?? (await createTeam(db, DEMO_TEAM)).id;
  for (const user of DEMO_USERS) {
    const found = await db.query('SELECT 1 FROM users WHERE username = $1', [user.username]);
    if (found.length === 0) await createUser(db, { ...user, teamId, password: DEMO_PASSWORD });
  }
  return { teamId };
}
