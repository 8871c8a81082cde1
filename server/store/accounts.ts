import { v7 as uuidv7 } from 'uuid';
import type { HubUser, Role } from '../../common/sync/hubApi';
import type { Queryable } from '../db/driver';
import { HubError } from '../errors';
import { dummyPasswordHash, hashPassword, newSecret, sha256Hex, verifyPassword } from './secrets';

// Teams, users, sessions and case-system API keys.

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  team_id: string | null;
}
const USER_COLUMNS = 'u.id, u.username, u.display_name, u.role, u.team_id';

export const toHubUser = (row: UserRow): HubUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  teamId: row.team_id,
});

export interface ApiKeyIdentity {
  keyId: string;
  sourceSystem: string;
  teamId: string;
}

export async function createTeam(db: Queryable, name: string): Promise<{ id: string; name: string }> {
  const id = uuidv7();
  const rows = await db.query<{ id: string }>(
    'INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id',
    [id, name],
  );
  if (rows.length === 0) throw new HubError('conflict', `a team named "${name}" exists`);
  return { id, name };
}

export async function findTeam(db: Queryable, idOrName: string): Promise<{ id: string; name: string }> {
  const rows = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM teams WHERE id::text = $1 OR name = $1',
    [idOrName],
  );
  if (!rows[0]) throw new HubError('not_found', `no team "${idOrName}"`);
  return rows[0];
}

export async function createUser(
  db: Queryable,
  input: { username: string; displayName: string; role: Role; teamId: string | null; password: string },
): Promise<HubUser> {
  if (input.role !== 'admin' && input.teamId === null) {
    throw new HubError('invalid_request', `a ${input.role} belongs to a team`);
  }
  if (input.password.length < 8)
    throw new HubError('invalid_request', 'passwords have at least 8 characters');
  const row: UserRow = {
    id: uuidv7(),
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    team_id: input.teamId,
  };
  const inserted = await db.query(
    `INSERT INTO users (id, username, display_name, role, team_id, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING id`,
    [row.id, row.username, row.display_name, row.role, row.team_id, await hashPassword(input.password)],
  );
  if (inserted.length === 0) throw new HubError('conflict', `a user named "${input.username}" exists`);
  return toHubUser(row);
}

/** After this many wrong passwords in a row an account is locked for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 10;
const LOCK_MINUTES = 15;

export type LoginCheck = { ok: true; user: HubUser } | { ok: false; locked: boolean };

/**
 * The user when the password is right and the account is not locked (a hash is checked either
 * way, so timing does not tell whether a user exists). Wrong passwords count per account; a
 * right one resets the count.
 */
export async function checkLogin(db: Queryable, username: string, password: string): Promise<LoginCheck> {
  const rows = await db.query<UserRow & { password_hash: string; locked: boolean }>(
    `SELECT ${USER_COLUMNS}, u.password_hash, COALESCE(u.locked_until > now(), false) AS locked
       FROM users u WHERE u.username = $1 AND NOT u.disabled`,
    [username],
  );
  const row = rows[0];
  const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), password);
  if (!row) return { ok: false, locked: false };
  if (row.locked) return { ok: false, locked: true };
  if (ok) {
    await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [row.id]);
    return { ok: true, user: toHubUser(row) };
  }
  // A lock that has run out starts the count again.
  await db.query(
    `WITH counted AS (
       SELECT id, CASE WHEN locked_until <= now() THEN 1 ELSE failed_logins + 1 END AS failures
         FROM users WHERE id = $1
     )
     UPDATE users u SET failed_logins = c.failures,
            locked_until = CASE WHEN c.failures >= $2 THEN now() + make_interval(mins => $3) END
       FROM counted c WHERE u.id = c.id`,
    [row.id, MAX_FAILED_LOGINS, LOCK_MINUTES],
  );
  return { ok: false, locked: false };
}

export async function createSession(
  db: Queryable,
  userId: string,
  ttlMinutes: number,
): Promise<{ token: string; expiresAt: string }> {
  const token = newSecret();
  const rows = await db.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id, user_id, token_sha256, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4)) RETURNING expires_at`,
    [uuidv7(), userId, sha256Hex(token), ttlMinutes],
  );
  return { token, expiresAt: rows[0]!.expires_at.toISOString() };
}

/** Marking a session as seen at most this often keeps every pull from being a write. */
const SEEN_EVERY_SECONDS = 30;

/** The user behind a live session token, marking the session as seen; null when bad, expired or revoked. */
export async function sessionUser(
  db: Queryable,
  token: string,
): Promise<{ user: HubUser; sessionId: string } | null> {
  const rows = await db.query<UserRow & { session_id: string }>(
    `WITH live AS (
       SELECT s.id AS session_id, s.last_seen_at, ${USER_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_sha256 = $1 AND NOT u.disabled AND s.revoked_at IS NULL AND s.expires_at > now()
     ), seen AS (
       UPDATE sessions SET last_seen_at = now()
        WHERE id IN (SELECT session_id FROM live WHERE last_seen_at < now() - make_interval(secs => $2))
     )
     SELECT session_id, id, username, display_name, role, team_id FROM live`,
    [sha256Hex(token), SEEN_EVERY_SECONDS],
  );
  const row = rows[0];
  return row ? { user: toHubUser(row), sessionId: row.session_id } : null;
}

export async function revokeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
}

/** Signs a user out everywhere (a lost laptop, a leaver). Answers how many sessions ended. */
export async function revokeUserSessions(db: Queryable, username: string): Promise<number> {
  const rows = await db.query(
    `UPDATE sessions s SET revoked_at = now() FROM users u
      WHERE u.id = s.user_id AND u.username = $1 AND s.revoked_at IS NULL RETURNING s.id`,
    [username],
  );
  return rows.length;
}

export async function issueApiKey(
  db: Queryable,
  sourceSystem: string,
  teamId: string,
): Promise<{ keyId: string; key: string }> {
  const key = `dk_${newSecret()}`;
  const keyId = uuidv7();
  await db.query('INSERT INTO api_keys (id, source_system, team_id, key_sha256) VALUES ($1, $2, $3, $4)', [
    keyId,
    sourceSystem,
    teamId,
    sha256Hex(key),
  ]);
  return { keyId, key };
}

export async function apiKeyIdentity(db: Queryable, key: string): Promise<ApiKeyIdentity | null> {
  const rows = await db.query<{ id: string; source_system: string; team_id: string }>(
    'SELECT id, source_system, team_id FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL',
    [sha256Hex(key)],
  );
  const row = rows[0];
  return row ? { keyId: row.id, sourceSystem: row.source_system, teamId: row.team_id } : null;
}

export async function revokeApiKey(db: Queryable, keyId: string): Promise<boolean> {
  const rows = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [keyId],
  );
  return rows.length > 0;
}

/** Assignable members of a team (specialists and leads), by name. */
export async function teamMembers(db: Queryable, teamId: string): Promise<UserRow[]> {
  return db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users u
      WHERE u.team_id = $1 AND NOT u.disabled AND u.role IN ('specialist', 'lead')
      ORDER BY u.display_name, u.id`,
    [teamId],
  );
}
