// The hub's tasks and the work facts desks report on them, the lead's audit trail, and the blob
// store. Facts are append-only: nothing updates or deletes a row of \`facts\`.
export const name = 'tasks';
export const sql = `
CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams(id),
  assignee_id uuid REFERENCES users(id),
  source_system text NOT NULL,
  source_task_id text NOT NULL,
  case_number text NOT NULL,
  court text NOT NULL,
  party_name text NOT NULL,
  intake jsonb NOT NULL,
  method text NOT NULL,
  status text NOT NULL,
  priority text NOT NULL,
  deadline date,
  attempts integer NOT NULL DEFAULT 0,
  unanswered integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  callback_at timestamptz,
  completed_after_reassignment boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_system, source_task_id)
);
CREATE INDEX tasks_team_status ON tasks(team_id, status);
CREATE INDEX tasks_team_assignee ON tasks(team_id, assignee_id);
-- The lead console's filters: by deadline (overdue), and the few flagged tasks.
CREATE INDEX tasks_team_deadline ON tasks(team_id, deadline);
CREATE INDEX tasks_team_flagged ON tasks(team_id) WHERE completed_after_reassignment;

-- Who has held a task: a specialist keeps seeing a task they once held (with their own facts).
CREATE TABLE task_holders (
  task_id uuid NOT NULL REFERENCES tasks(id),
  user_id uuid NOT NULL REFERENCES users(id),
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_holders_user ON task_holders(user_id);

CREATE TABLE facts (
  id uuid PRIMARY KEY,
  task_id uuid NOT NULL REFERENCES tasks(id),
  kind text NOT NULL CHECK (kind IN ('attempt', 'call', 'recording', 'consent')),
  author_id uuid NOT NULL REFERENCES users(id),
  client_id uuid NOT NULL,
  body jsonb NOT NULL,
  blob_sha256 text,
  -- The device's clock, kept for display only: nothing is ordered by it.
  device_at text,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- True when the author no longer held the task when the fact reached the hub.
  after_reassignment boolean NOT NULL DEFAULT false
);
CREATE INDEX facts_task ON facts(task_id);
CREATE INDEX facts_author_received ON facts(author_id, received_at);
CREATE INDEX facts_blob ON facts(blob_sha256) WHERE blob_sha256 IS NOT NULL;

CREATE TABLE hub_audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  action text NOT NULL,
  task_id uuid,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX hub_audit_task ON hub_audit(task_id);

CREATE TABLE blobs (
  sha256 text PRIMARY KEY,
  size bigint NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- An upload in progress: its chunks in order, one row each (appending never rewrites what came).
CREATE TABLE blob_uploads (
  sha256 text PRIMARY KEY,
  total bigint NOT NULL,
  received bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blob_chunks (
  sha256 text NOT NULL REFERENCES blob_uploads(sha256) ON DELETE CASCADE,
  start bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (sha256, start)
);
`;
