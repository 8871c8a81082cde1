// Sync bookkeeping: each client's last applied mutation id and the answer given to each mutation
// (so a repeated push gets the same answer), and the change log pulls read.
//
// The change log's cursor is (xid, seq), read only below pg_snapshot_xmin of the reader's
// snapshot. A bigserial alone is not enough: a transaction can take seq 5, commit after another
// that took seq 6, and a reader that already moved past 6 would skip 5. Every transaction whose
// xid is below xmin has finished, and any transaction still to commit has an xid at or above it,
// so a cursor taken below xmin never has a change appear behind it.
export const name = 'sync';
export const sql = `
CREATE TABLE sync_clients (
  client_id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  last_mutation_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_results (
  client_id uuid NOT NULL REFERENCES sync_clients(client_id),
  mutation_id bigint NOT NULL,
  -- Null for an operation too malformed to carry a usable id.
  op_id uuid UNIQUE,
  result jsonb NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
);

CREATE TABLE changes (
  seq bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  team_id uuid NOT NULL,
  task_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_cursor ON changes(xid, seq);
CREATE INDEX changes_team_cursor ON changes(team_id, xid, seq);
`;
