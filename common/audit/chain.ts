import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

// The audit chain: every event hashes the one before it, so altering, inserting or removing an
// event breaks a link that anyone can recompute. Shared by desk and hub, hence pure TS hashing.

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventBody {
  seq: number;
  at: string;
  actor: string;
  type: string;
  taskId: number | null;
  data: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth and no whitespace: one encoding per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('non-finite number in audit data');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

export function hashAuditEvent(prevHash: string, event: AuditEventBody): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(event)}`);
}

export interface StoredAuditEvent extends AuditEventBody {
  prevHash: string;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; problem: 'altered' | 'inserted' | 'removed'; message: string };

/** A link in the chain: an event's position and its own hash. */
interface Link {
  seq: number;
  hash: string;
}

export interface LinkBreak {
  problem: 'inserted' | 'removed';
  seq: number;
  message: string;
}

/**
 * How event `seq`, linking to `prevHash`, fails to follow `prev` (null at the chain's start), or
 * null when it follows. One home for the rule the full chain and an excerpt of it both apply.
 */
export function linkBreak(
  prev: Link | null,
  beforePrev: Link | null,
  seq: number,
  prevHash: string,
): LinkBreak | null {
  const expectedSeq = prev ? prev.seq + 1 : 1;
  if (seq !== expectedSeq) {
    return {
      problem: 'removed',
      seq,
      message: `events ${expectedSeq}–${seq - 1} are missing before event ${seq}`,
    };
  }
  if (prevHash !== (prev ? prev.hash : GENESIS_HASH)) {
    // If this event links to the one two back, the event in between was slipped in.
    if (prev && beforePrev && prevHash === beforePrev.hash) {
      return { problem: 'inserted', seq: prev.seq, message: `event ${prev.seq} was inserted into the chain` };
    }
    return { problem: 'removed', seq, message: `event ${seq} does not link to the event before it` };
  }
  return null;
}

/**
 * Walks the chain in order and reports the first event that breaks it. Works on any iterable so
 * a large chain can be streamed from the database.
 */
export function verifyAuditChain(events: Iterable<StoredAuditEvent>): ChainVerdict {
  let prev: StoredAuditEvent | null = null;
  let beforePrev: StoredAuditEvent | null = null;
  let count = 0;
  for (const event of events) {
    const { prevHash, hash, ...body } = event;
    if (hashAuditEvent(prevHash, body) !== hash) {
      return {
        ok: false,
        seq: event.seq,
        problem: 'altered',
        message: `event ${event.seq} does not match its hash`,
      };
    }
    const broken = linkBreak(prev, beforePrev, event.seq, prevHash);
    if (broken) return { ok: false, ...broken };
    beforePrev = prev;
    prev = event;
    count += 1;
  }
  return { ok: true, count, head: prev ? prev.hash : GENESIS_HASH };
}
