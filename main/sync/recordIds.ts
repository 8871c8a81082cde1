import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

// Record ids made from other record ids, the same every time they are asked for: a call is the
// softphone's side of its attempt, so its id comes from the attempt's (UUIDv7, made on this desk
// when the attempt was made). A recording can then name its call whether the call's fact was
// queued before it or not, and nothing needs a column to remember the id.

/** The UUIDv7 of the call of the attempt `attemptRecordId`: the attempt's time, a hash for the rest. */
export function callRecordId(attemptRecordId: string): string {
  const msecs = Number.parseInt(attemptRecordId.replace(/-/g, '').slice(0, 12), 16);
  const random = createHash('sha256').update(`call:${attemptRecordId}`).digest().subarray(0, 16);
  return uuidv7({ msecs, random });
}
