// Failed logins counted per account in the database, so that several hub instances behind a load
// balancer share them (the per-address rate limit is per instance).
export const name = 'login_lockout';
export const sql = `
ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until timestamptz;
`;
