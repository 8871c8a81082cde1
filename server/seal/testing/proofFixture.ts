// Desk-side moves for hub tests of proofs: a delivered task, its proof fact, the PDF's upload.
import { v7 as uuidv7 } from 'uuid';
import { expect } from 'vitest';
import type { ProofFacts } from '../../../common/proof/proofFacts';
import { SAMPLE_PROOF_FACTS } from '../../../common/proof/sampleProofFacts';
import type { TaskSnapshot } from '../../../common/sync/protocol';
import type { HubApp } from '../../app';
import { sha256Of } from '../../store/blobs';
import {
  bearer,
  intake,
  intakeTask,
  newClientId,
  push,
  taskEventOp,
  type Member,
} from '../../test/hubFixture';

/** The one document of the tasks deliveredTask makes, as the intake hashed it. */
export const DOC_SHA = 'ab'.repeat(32);

/** A delivered electronic task of team A held by `member`, its one document hashed DOC_SHA. */
export async function deliveredTask(
  app: HubApp,
  member: Member,
  keyA: string,
  leadA: Member,
  sourceTaskId?: string,
): Promise<string> {
  const { taskIds } = await intake(app, keyA, [
    intakeTask({
      documents: [{ title: '起诉状副本', kind: 'complaint', sha256: DOC_SHA }],
      ...(sourceTaskId ? { sourceTaskId } : {}),
    }),
  ]);
  const taskId = taskIds[0]!;
  await app.inject({
    method: 'POST',
    url: '/lead/reassign',
    headers: bearer(leadA),
    payload: { taskIds, assigneeId: member.user.id, reason: 'test' },
  });
  const client = newClientId();
  const events = ['start_work', 'record_consent', 'send', 'confirm_delivery'];
  const { body } = await push(
    app,
    member,
    client,
    events.map((type, i) => taskEventOp(taskId, i + 1, type)),
  );
  expect(body.results.map((r) => r.status)).toEqual(events.map(() => 'applied'));
  return taskId;
}

export const proofFacts = (proofId: string, documentSha: string): ProofFacts => ({
  ...SAMPLE_PROOF_FACTS,
  proofId,
  documents: [{ title: '起诉状副本', kind: 'complaint', copies: 1, sha256: documentSha }],
});

export function proofOp(taskId: string, pdf: Uint8Array, facts: ProofFacts) {
  return {
    type: 'fact.record',
    kind: 'proof',
    opId: uuidv7(),
    mutationId: 1,
    taskId,
    factId: uuidv7(),
    body: { proofId: facts.proofId, pdfSha256: sha256Of(pdf), bytes: pdf.byteLength, facts },
  };
}

export async function upload(app: HubApp, member: Member, bytes: Uint8Array) {
  const response = await app.inject({
    method: 'PATCH',
    url: `/blobs/${sha256Of(bytes)}`,
    headers: {
      ...bearer(member),
      'content-type': 'application/octet-stream',
      'upload-offset': '0',
      'upload-length': String(bytes.byteLength),
    },
    payload: Buffer.from(bytes),
  });
  expect(response.statusCode).toBe(200);
}

export const snapshot = async (app: HubApp, member: Member, taskId: string) =>
  (
    await app.inject({ method: 'GET', url: `/sync/tasks/${taskId}`, headers: bearer(member) })
  ).json<TaskSnapshot>();
