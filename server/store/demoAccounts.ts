import type { Queryable } from '../db/driver';
import { createTeam, createUser } from './accounts';

// The demo accounts, in one place: the embedded hub `npm start` runs (scripts/embeddedHub.ts) and
// `npm run hub -- --demo` both make them, so a newcomer signs in at once and the desk's login
// screen lists them. One team with its lead and two specialists. Never for a real center: the
// password is printed and documented.

export const DEMO_TEAM = '演示组';
export const DEMO_PASSWORD = 'demo-desk-2026';
export const DEMO_USERS = [
  { username: 'demo.lead', displayName: '王组长', role: 'lead' },
  { username: 'demo.zhang', displayName: '张敏', role: 'specialist' },
  { username: 'demo.li', displayName: '李静', role: 'specialist' },
] as const;

/** The accounts as the HUB_DEMO line prints them (and the desk's DESK_HUB_DEMO_ACCOUNTS takes them). */
export const demoSignIns = () =>
  DEMO_USERS.map(({ username, role }) => ({ username, password: DEMO_PASSWORD, role }));

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
