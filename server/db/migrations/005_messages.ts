// Electronic service: each message sent from the hub (one row per channel, keyed by the desk's send
// id), what the law asks it to keep (addresses, sender, time, documents and their hashes, the exact
// content), and the recipient's portal events. Events are append-only: nothing updates or deletes
// a row of `message_events`; the message row carries the current status for quick reads.
export const name = 'messages';
export const sql = `
CREATE TABLE messages (
  id uuid PRIMARY KEY,
  -- The desk's send id (UUIDv7): one send makes one message per channel, never two.
  send_id uuid NOT NULL,
  task_id uuid NOT NULL REFERENCES tasks(id),
  team_id uuid NOT NULL REFERENCES teams(id),
  author_id uuid NOT NULL REFERENCES users(id),
  channel text NOT NULL,
  address text NOT NULL,
  sender text NOT NULL,
  template_id text NOT NULL,
  template_params jsonb NOT NULL,
  subject text,
  -- The exact text with the link's token shown as {token} (only the token's hash is kept), and the
  -- SHA-256 of the exact text as sent, token included.
  content text NOT NULL,
  content_sha256 text,
  documents jsonb NOT NULL,
  check_code text NOT NULL,
  -- SHA-256 of the send request: the same send id with another request is refused.
  request_sha256 text NOT NULL,
  -- Made when the message is handed to its channel.
  link_token_sha256 text UNIQUE,
  link_expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  status text NOT NULL CHECK (status IN
    ('accepted', 'sending', 'sent', 'delivered', 'opened', 'verified', 'confirmed', 'failed')),
  failure_reason text,
  provider_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  -- The portal's identity check.
  verify_failures integer NOT NULL DEFAULT 0,
  otp_sha256 text,
  otp_expires_at timestamptz,
  otp_sent integer NOT NULL DEFAULT 0,
  portal_session_sha256 text UNIQUE,
  portal_session_expires_at timestamptz,
  UNIQUE (send_id, channel)
);
CREATE INDEX messages_task ON messages(task_id);
CREATE INDEX messages_provider_ref ON messages(channel, provider_ref) WHERE provider_ref IS NOT NULL;

CREATE TABLE message_events (
  id uuid PRIMARY KEY,
  message_id uuid NOT NULL REFERENCES messages(id),
  kind text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  ip text,
  user_agent text,
  details jsonb NOT NULL DEFAULT '{}',
  blob_sha256 text
);
CREATE INDEX message_events_message ON message_events(message_id, at);
`;
