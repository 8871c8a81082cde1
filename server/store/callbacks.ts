import { createHmac, randomBytes } from 'node:crypto';
import {
  CALLBACK_EVENT_HEADER,
  CALLBACK_SIGNATURE_HEADER,
  CALLBACK_TIMESTAMP_HEADER,
  type CallbackBody,
  type CallbackEvent,
} from '../../common/sync/caseResult';
import type { HubDb, Queryable } from '../db/driver';
import { HubError } from '../errors';
import { caseResult } from './caseResults';

// The case system's callbacks (migration 008): queued by triggers, sent here with an HMAC-SHA256
// signature, retried with exponential backoff; each try's outcome is kept on its row.

export interface CallbackPolicy {
  /** The first retry's delay; each next one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

/** Sets (or with null clears) the callback URL of an API key; answers the new signing secret. */
export async function setCallbackUrl(
  db: Queryable,
  keyId: string,
  url: string | null,
): Promise<{ keyId: string; callbackUrl: string | null; secret: string | null }> {
  if (url !== null && !/^https?:\/\//.test(url))
    throw new HubError('invalid_request', 'the callback URL must be http(s)');
  const secret = url === null ? null : `whsec_${randomBytes(24).toString('base64url')}`;
  const rows = await db.query(
    'UPDATE api_keys SET callback_url = $2, callback_secret = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [keyId, url, secret],
  );
  if (rows.length === 0) throw new HubError('not_found', 'no such API key (or it is revoked)');
  return { keyId, callbackUrl: url, secret };
}

/** The signature header value for `body` sent at `timestamp` (unix seconds). */
export const signCallback = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

interface DueRow {
  id: string;
  task_id: string;
  event: CallbackEvent;
  attempts: number;
  callback_url: string;
  callback_secret: string;
}

/** Sends one due callback (claimed with SKIP LOCKED); false when none is due. */
async function sendNext(db: HubDb, policy: CallbackPolicy): Promise<boolean> {
  const [due] = await db.transaction(async (tx) => {
    const rows = await tx.query<DueRow>(
      `SELECT d.id, d.task_id, d.event, d.attempts, k.callback_url, k.callback_secret
         FROM callback_deliveries d JOIN api_keys k ON k.id = d.api_key_id
        WHERE d.status = 'pending' AND d.next_at <= now() AND k.callback_url IS NOT NULL
        ORDER BY d.next_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
    );
    // Claimed for the length of one try: another instance skips it until then.
    if (rows[0])
      await tx.query(
        `UPDATE callback_deliveries SET next_at = now() + $2 * interval '1 millisecond' WHERE id = $1`,
        [rows[0].id, policy.timeoutMs * 2],
      );
    return rows;
  });
  if (!due) return false;

  const body: CallbackBody = {
    event: due.event,
    at: new Date().toISOString(),
    result: await caseResult(db, due.task_id),
  };
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(due.callback_url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CALLBACK_EVENT_HEADER]: due.event,
        [CALLBACK_TIMESTAMP_HEADER]: timestamp,
        [CALLBACK_SIGNATURE_HEADER]: signCallback(due.callback_secret, timestamp, text),
      },
      body: text,
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
    status = response.status;
    if (!response.ok) error = `HTTP ${response.status}`;
  } catch (e) {
    error = (e as Error).message;
  }
  const attempts = due.attempts + 1;
  if (error === null)
    await db.query(
      `UPDATE callback_deliveries SET status = 'delivered', attempts = $2, last_status = $3, last_error = NULL,
              delivered_at = now(), body = $4 WHERE id = $1`,
      [due.id, attempts, status, text],
    );
  else {
    const delay = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
    await db.query(
      `UPDATE callback_deliveries SET status = $2, attempts = $3, last_status = $4, last_error = $5, body = $6,
              next_at = now() + $7 * interval '1 millisecond' WHERE id = $1`,
      [due.id, attempts >= policy.maxAttempts ? 'failed' : 'pending', attempts, status, error, text, delay],
    );
  }
  return true;
}

/** Sends every callback that is due now; answers how many tries were made. */
export async function sendDueCallbacks(db: HubDb, policy: CallbackPolicy): Promise<number> {
  let tries = 0;
  while (await sendNext(db, policy)) tries++;
  return tries;
}
