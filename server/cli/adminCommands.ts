import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES } from '../../common/sync/hubApi';
import type { Queryable } from '../db/driver';
import {
  createTeam,
  createUser,
  findTeam,
  issueApiKey,
  revokeApiKey,
  revokeUserSessions,
} from '../store/accounts';
import { setCallbackUrl } from '../store/callbacks';

// The admin commands behind `npm run hub:admin -- <command> ...`, run on an open database.
// Each answers one JSON-able object (the CLI prints it on stdout).

export const ADMIN_USAGE = `usage: npm run hub:admin -- [--db URL | --pglite DIR] <command> [options]
  create-team NAME
  create-user --username U --name "Display Name" --role specialist|lead|admin [--team TEAM] --password P
  issue-key --source-system NAME --team TEAM       (prints the key once; the hub keeps its hash)
  revoke-key KEY_ID
  set-callback KEY_ID --url URL|--none              (the case system's callback; prints its HMAC secret once)
  revoke-sessions USERNAME
  seal-demo --out DIR [--center NAME]              (a demo root CA and seal certificate; no database)
  list`;

const CreateUser = z.object({
  username: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  role: z.enum(ROLES),
  team: z.string().optional(),
  password: z.string().min(8, 'passwords have at least 8 characters'),
});
const IssueKey = z.object({ 'source-system': z.string().min(1).max(200), team: z.string().min(1) });

export async function runAdminCommand(db: Queryable, args: string[]): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      team: { type: 'string' },
      password: { type: 'string' },
      'source-system': { type: 'string' },
      url: { type: 'string' },
      none: { type: 'boolean' },
    },
  });
  const [command, argument] = positionals;
  switch (command) {
    case 'create-team':
      if (!argument) throw new Error('create-team NAME');
      return { team: await createTeam(db, argument) };
    case 'create-user': {
      const input = CreateUser.parse(values);
      const teamId = input.team ? (await findTeam(db, input.team)).id : null;
      const user = await createUser(db, {
        username: input.username,
        displayName: input.name,
        role: input.role,
        teamId,
        password: input.password,
      });
      return { user };
    }
    case 'issue-key': {
      const input = IssueKey.parse(values);
      const team = await findTeam(db, input.team);
      const issued = await issueApiKey(db, input['source-system'], team.id);
      return { ...issued, sourceSystem: input['source-system'], teamId: team.id };
    }
    case 'revoke-key':
      if (!argument) throw new Error('revoke-key KEY_ID');
      return { revoked: await revokeApiKey(db, argument) };
    case 'set-callback':
      if (!argument || Boolean(values.url) === Boolean(values.none))
        throw new Error('set-callback KEY_ID --url URL|--none');
      return setCallbackUrl(db, argument, values.url ?? null);
    case 'revoke-sessions':
      if (!argument) throw new Error('revoke-sessions USERNAME');
      return { revoked: await revokeUserSessions(db, argument) };
    case 'list': {
      const teams = await db.query('SELECT id, name FROM teams ORDER BY name');
      const users = await db.query(
        `SELECT u.username, u.display_name AS "displayName", u.role, t.name AS team
           FROM users u LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.username`,
      );
      const keys = await db.query(
        `SELECT k.id, k.source_system AS "sourceSystem", t.name AS team, k.revoked_at IS NOT NULL AS revoked
           FROM api_keys k JOIN teams t ON t.id = k.team_id ORDER BY k.created_at`,
      );
      return { teams, users, keys };
    }
    default:
      throw new Error(ADMIN_USAGE);
  }
}
