// Teams, users and their roles, login sessions (only a hash of each token is kept), and the API
// keys of case systems (hashed too).
export const name = 'accounts';
export const sql = `
CREATE TABLE teams (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('specialist', 'lead', 'admin')),
  -- Specialists and leads belong to one team; an admin may have none.
  team_id uuid REFERENCES teams(id),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (role = 'admin' OR team_id IS NOT NULL)
);
CREATE INDEX users_team ON users(team_id);

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  token_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  source_system text NOT NULL,
  team_id uuid NOT NULL REFERENCES teams(id),
  key_sha256 text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
`;
