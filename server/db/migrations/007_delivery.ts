// The legal effect of each task's electronic service (issue 8), as computeLegalEffect
// (common/domain/legalEffect.ts) last judged it on the hub's facts: the rule, confirmed or
// presumed, the service date, and the facts it rests on. Written in the transaction of the message
// event that changed it; the effect that moved a task to `delivered` is kept as it was (the proof
// of service cites that date), so it is not recomputed afterwards.
export const name = 'delivery';
export const sql = `
CREATE TABLE delivery_effects (
  task_id uuid PRIMARY KEY REFERENCES tasks(id),
  effective boolean NOT NULL,
  rule text NOT NULL,
  basis text NOT NULL CHECK (basis IN ('confirmed', 'presumed', 'none')),
  service_date timestamptz,
  -- The whole LegalEffect as the snapshot carries it, and the LegalEffectFacts it was computed from.
  effect jsonb NOT NULL,
  facts jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  CHECK (effective = (service_date IS NOT NULL))
);
`;
