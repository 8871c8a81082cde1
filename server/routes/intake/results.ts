import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaseResult } from '../../../common/sync/caseResult';
import { HubError } from '../../errors';
import { apiKeyIdentity } from '../../store/accounts';
import { caseResult, sealedProofPdf, taskIdBySource } from '../../store/caseResults';
import { errorResponses } from '../schemas';

// The case system's side of issue 9: a task's result and its sealed proof, by the case system's
// own task id, with the API key it sends tasks with.
const ApiKeyHeaders = z.object({ 'x-api-key': z.string().min(1).max(200) }).loose();
const Params = z.strictObject({ sourceTaskId: z.string().min(1).max(500) });

const caseResultRoutes: FastifyPluginAsyncZod = async (app) => {
  const caseSystem = async (key: string) => {
    const identity = await apiKeyIdentity(app.db, key);
    if (!identity) throw new HubError('unauthorized', 'the API key is unknown or revoked');
    return identity;
  };

  app.get(
    '/tasks/:sourceTaskId/result',
    {
      schema: {
        summary: "A task's result for its case system: status, legal effect, proof, evidence bundle",
        headers: ApiKeyHeaders,
        params: Params,
        response: { 200: CaseResult, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const identity = await caseSystem(request.headers['x-api-key']);
      return caseResult(app.db, await taskIdBySource(app.db, identity, request.params.sourceTaskId));
    },
  );

  app.get(
    '/tasks/:sourceTaskId/result/proof.pdf',
    {
      schema: {
        summary: "The task's sealed proof of service (PDF)",
        headers: ApiKeyHeaders,
        params: Params,
        response: { 200: z.any().describe('application/pdf'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const identity = await caseSystem(request.headers['x-api-key']);
      const taskId = await taskIdBySource(app.db, identity, request.params.sourceTaskId);
      const { proofId, pdf } = await sealedProofPdf(app.db, taskId);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${proofId}.pdf"`)
        .send(pdf);
    },
  );
};

export default caseResultRoutes;
