// Proofs of service (issue 9): the desk's unsealed PDF (a blob) and the facts it states, the
// hub's verdict on those facts, and the sealed PDF (another blob) once sealed. A proof is never
// rewritten: a desk that renders again files a new proof id.
// And the case system's callbacks: an optional URL (and HMAC secret) per API key, and one row per
// callback owed, queued by triggers when a task becomes delivered or its proof is sealed (whoever
// made the change), sent and retried by server/plugins/callbacks.ts, every try recorded.
export const name = 'proofs';
export const sql = `
ALTER TABLE facts DROP CONSTRAINT facts_kind_check;
ALTER TABLE facts ADD CONSTRAINT facts_kind_check
  CHECK (kind IN ('attempt', 'call', 'recording', 'consent', 'proof'));

CREATE TABLE proofs (
  id text PRIMARY KEY,
  task_id uuid NOT NULL REFERENCES tasks(id),
  fact_id uuid NOT NULL UNIQUE REFERENCES facts(id),
  unsealed_sha256 text NOT NULL,
  facts jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sealed', 'refused')),
  reason text,
  sealed_sha256 text,
  sealed_at timestamptz,
  signer text,
  filed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX proofs_task ON proofs (task_id, filed_at);
CREATE INDEX proofs_pending ON proofs (filed_at) WHERE status = 'pending';
CREATE INDEX proofs_sealed_blob ON proofs (sealed_sha256) WHERE sealed_sha256 IS NOT NULL;

ALTER TABLE api_keys ADD COLUMN callback_url text;
ALTER TABLE api_keys ADD COLUMN callback_secret text;

CREATE TABLE callback_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  api_key_id uuid NOT NULL REFERENCES api_keys(id),
  task_id uuid NOT NULL REFERENCES tasks(id),
  event text NOT NULL CHECK (event IN ('delivered', 'proof_sealed')),
  queued_at timestamptz NOT NULL DEFAULT now(),
  next_at timestamptz NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  last_status int,
  last_error text,
  delivered_at timestamptz,
  -- The body as last sent (what the case system was told, byte for byte).
  body text
);
CREATE INDEX callback_deliveries_due ON callback_deliveries (next_at) WHERE status = 'pending';

CREATE FUNCTION queue_case_callback(task uuid, what text) RETURNS void AS $$
  INSERT INTO callback_deliveries (api_key_id, task_id, event)
  SELECT k.id, t.id, what FROM tasks t JOIN api_keys k
      ON k.team_id = t.team_id AND k.source_system = t.source_system
   WHERE t.id = task AND k.callback_url IS NOT NULL AND k.revoked_at IS NULL;
$$ LANGUAGE sql;

CREATE FUNCTION tasks_delivered_callback() RETURNS trigger AS $$
BEGIN
  PERFORM queue_case_callback(NEW.id, 'delivered');
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER tasks_delivered_callback AFTER UPDATE OF status ON tasks
  FOR EACH ROW WHEN (NEW.status = 'delivered' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION tasks_delivered_callback();

CREATE FUNCTION proofs_sealed_callback() RETURNS trigger AS $$
BEGIN
  PERFORM queue_case_callback(NEW.task_id, 'proof_sealed');
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER proofs_sealed_callback AFTER UPDATE OF status ON proofs
  FOR EACH ROW WHEN (NEW.status = 'sealed' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION proofs_sealed_callback();
`;
