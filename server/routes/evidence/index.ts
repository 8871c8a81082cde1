import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProofFactsSchema } from '../../../common/proof/proofFacts';
import type { HubUser } from '../../../common/sync/hubApi';
import { HubError } from '../../errors';
import { bearerToken } from '../../plugins/auth';
import { planBundle, streamBundle } from '../../proof/bundle';
import { filedProof, type FiledProofRecord } from '../../proof/filedProofs';
import { apiKeyIdentity, sessionUser } from '../../store/accounts';
import { taskForUser } from '../../store/tasks';
import type { Queryable } from '../../db/driver';
import { errorResponses } from '../schemas';

// `GET /proofs/:proofId/bundle`: the evidence bundle of a filed proof (docs/evidence-bundle.md),
// for the task's specialists (who hold or held it), its team's lead, an admin, and the case
// system whose key ordered the task.

const ProofIdParams = z.object({ proofId: ProofFactsSchema.shape.proofId });

type Caller = { kind: 'key'; sourceSystem: string; teamId: string } | { kind: 'user'; user: HubUser };

/** Who asks: a case system's key or a signed-in user; neither is 401 before anything is looked up. */
async function callerOf(db: Queryable, apiKey: string | undefined, token: string | null): Promise<Caller> {
  if (apiKey) {
    const key = await apiKeyIdentity(db, apiKey);
    if (!key) throw new HubError('unauthorized', 'the API key is unknown or revoked');
    return { kind: 'key', sourceSystem: key.sourceSystem, teamId: key.teamId };
  }
  if (!token) throw new HubError('unauthorized', 'a session token or an API key is required');
  const session = await sessionUser(db, token);
  if (!session) throw new HubError('unauthorized', 'the session is unknown, expired or revoked');
  return { kind: 'user', user: session.user };
}

async function mayFetch(db: Queryable, proof: FiledProofRecord, caller: Caller): Promise<boolean> {
  if (caller.kind === 'key')
    return caller.sourceSystem === proof.sourceSystem && caller.teamId === proof.teamId;
  // The task's own rule (store/tasks.ts): admins, the team's lead, specialists who hold or held it.
  return taskForUser(db, caller.user, proof.taskId).then(
    () => true,
    (error: unknown) => (error instanceof HubError ? false : Promise.reject(error)),
  );
}

const evidenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:proofId/bundle',
    {
      schema: {
        summary: "A filed proof's evidence bundle (ZIP): the sealed proof, its evidence and manifest.json",
        description:
          'For the task’s specialists, its team’s lead, an admin (session), or the case system that ordered it (`x-api-key`). Format: docs/evidence-bundle.md.',
        params: ProofIdParams,
        headers: z.object({ 'x-api-key': z.string().max(200).optional() }).loose(),
        response: { 200: z.any().describe('application/zip'), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const caller = await callerOf(app.db, request.headers['x-api-key'], bearerToken(request));
      const proof = await filedProof(app.db, request.params.proofId);
      // The same answer for a proof that is not there and one the caller may not see.
      const allowed = proof && (await mayFetch(app.db, proof, caller));
      if (!proof || !allowed) throw new HubError('not_found', 'no such proof on a task you may see');
      if (proof.status !== 'sealed') {
        throw new HubError(
          'conflict',
          `the proof is not sealed yet (${proof.status}${proof.reason ? `: ${proof.reason}` : ''})`,
        );
      }
      const plan = await planBundle(app.db, proof, {
        hubUrl: app.config.send?.publicUrl ?? null,
        includeDocuments: app.config.evidence.includeDocuments,
        rootCertificatePem: app.seal?.trustedRootsPem[0] ?? null,
      });
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${plan.fileName}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(streamBundle(app.db, plan)));
    },
  );
};

export default evidenceRoutes;
