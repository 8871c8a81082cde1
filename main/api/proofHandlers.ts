import { readFileSync } from 'node:fs';
import { DeskFailure } from '../../common/contract';
import type { ProofFiling } from '../receipts/proofFiling';
import type { HandlersOf } from './dispatch';

/** The proof of service of a task as the task view shows it, and its PDF to open or save. */
export function createProofHandlers(deps: { proofs: ProofFiling }): HandlersOf<'taskProof' | 'proofRead'> {
  return {
    taskProof: ({ taskId }) => {
      const proof = deps.proofs.proofOfTask(taskId);
      if (!proof) return null;
      return {
        proofId: proof.proofId,
        status: proof.status,
        unsealedSha256: proof.unsealedSha256,
        sealedSha256: proof.sealedSha256,
        sealedAt: proof.sealedAt,
        createdAt: proof.createdAt,
        hubReason: proof.hubReason,
      };
    },
    proofRead: ({ proofId, sealed }) => {
      const proof = deps.proofs.proof(proofId);
      if (!proof) throw new DeskFailure('not_found', `no proof ${proofId} on this desk`);
      const useSealed = sealed && proof.sealedPath !== null;
      const path = useSealed ? proof.sealedPath! : proof.unsealedPath;
      return {
        fileName: `${proof.proofId}${useSealed ? '' : '-unsealed'}.pdf`,
        sealed: useSealed,
        dataBase64: readFileSync(path).toString('base64'),
      };
    },
  };
}
