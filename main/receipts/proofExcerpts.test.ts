import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditExcerpt } from '../../common/audit/excerpt';
import { SAMPLE_PROOF_FACTS } from '../../common/proof/sampleProofFacts';
import type { ProofBody } from '../../common/sync/proof';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { createBlobUploads } from '../sync/blobUploads';
import type { SyncRecorder } from '../sync/outbox';
import { withAuditExcerpts } from './proofExcerpts';

// The proof fact leaves the desk with its task's audit excerpt: kept as a file named by its hash,
// queued for upload, named in the fact — on a real SQLite store.
const dir = mkdtempSync(join(tmpdir(), 'proof-excerpts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('proof facts carry the audit excerpt', () => {
  const db = openDatabase(':memory:');
  const audit = createAuditLog(db);
  const blobs = createBlobUploads(db);
  const filed: { taskId: number; body: ProofBody }[] = [];
  const outbox: SyncRecorder = {
    taskEvent: () => undefined,
    attemptRecorded: () => undefined,
    consentRecorded: () => undefined,
    callEnded: () => undefined,
    recordingFinalised: () => undefined,
    proofFiled: (taskId, _factId, body) => filed.push({ taskId, body: body as ProofBody }),
  };
  const recorder = withAuditExcerpts(outbox, { db, blobs, dir, log: pino({ level: 'silent' }) });
  const append = (taskId: number, type: string) =>
    db.transaction(() =>
      audit.append({ at: '2026-11-23T03:00:00.000Z', actor: '王敏', type, taskId, data: {} }),
    )();

  it('builds the excerpt up to the head the proof prints, keeps and queues it, and names it', () => {
    append(4, 'call.started');
    append(5, 'call.started');
    append(4, 'task.delivered');
    const head = append(5, 'call.ended');
    const body = {
      proofId: 'DD-TEST-0001',
      pdfSha256: 'a'.repeat(64),
      bytes: 100,
      facts: { ...SAMPLE_PROOF_FACTS, audit: { seq: head.seq, headHash: head.hash, at: head.at } },
    };
    db.transaction(() => {
      recorder.proofFiled!(4, 'fact-1', body, '2026-11-23T03:00:01.000Z');
      // What the filing writes after the facts were gathered moves the head on; the excerpt does not.
      audit.append({
        at: '2026-11-23T03:00:01.000Z',
        actor: '王敏',
        type: 'proof.rendered',
        taskId: 4,
        data: {},
      });
    })();
    const sent = filed[0]!;
    expect(sent.taskId).toBe(4);
    const sha = sent.body.auditExcerptSha256!;
    const path = join(dir, `${sha}.audit-excerpt.json`);
    const bytes = readFileSync(path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
    expect(db.prepare('SELECT path FROM blob_uploads WHERE sha256 = ?').get(sha)).toEqual({ path });
    const verdict = verifyAuditExcerpt(JSON.parse(bytes.toString('utf8')), {
      headHash: head.hash,
      taskEventSeq: head.seq,
    });
    expect(verdict).toMatchObject({ ok: true, taskId: 4, head: { seq: head.seq } });
    expect(verdict.ok && verdict.taskEvents.map((e) => e.type)).toEqual(['call.started', 'task.delivered']);
  });

  it('files the proof all the same when no excerpt can be made (an unknown head)', () => {
    const body = {
      proofId: 'DD-TEST-0002',
      pdfSha256: 'b'.repeat(64),
      bytes: 100,
      facts: {
        ...SAMPLE_PROOF_FACTS,
        audit: { seq: 1, headHash: 'f'.repeat(64), at: '2026-11-23T03:00:00Z' },
      },
    };
    db.transaction(() => recorder.proofFiled!(4, 'fact-2', body, '2026-11-23T03:00:02.000Z'))();
    expect(filed[1]!.body.proofId).toBe('DD-TEST-0002');
    expect(filed[1]!.body.auditExcerptSha256).toBeUndefined();
  });
});
