// Proofs of service (issue 9): the desk's unsealed PDF (a blob) and the facts it states, the
// hub's verdict on those facts, and the sealed PDF (another blob) once sealed. A proof is never
// rewritten: a desk that renders again files a new proof id.
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
`;
