import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { validateTaskInput } from '../../../common/intake/validateTask';
import type { IntakeTask } from '../../../common/intake/taskSchema';
import { IntakeRequest, IntakeResponse } from '../../../common/sync/hubApi';
import { HubError } from '../../errors';
import { bearerToken } from '../../plugins/auth';
import { apiKeyIdentity, sessionUser } from '../../store/accounts';
import { writeIntake, type IntakeWrite } from '../../store/intake';
import { leadTeam } from '../../store/lead';
import { errorResponses } from '../schemas';
import { takeDocumentFiles } from './documentFiles';

/** 50 MiB of files as base64, as the desk's file import allows. */
const INTAKE_BODY_LIMIT = 70 * 1024 * 1024;

const intakeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/tasks',
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      schema: {
        summary:
          "Creates tasks in a team's pool (one-click order); idempotent on (sourceSystem, sourceTaskId)",
        description:
          'A case system authenticates with `x-api-key` (its tasks take its source system and team); a lead or admin with a session.',
        headers: z.object({ 'x-api-key': z.string().max(200).optional() }).loose(),
        body: IntakeRequest,
        response: { 200: IntakeResponse, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      const actor = await intakeActor(
        request.headers['x-api-key'],
        bearerToken(request),
        request.body.teamId,
      );
      const { tasks, files } = takeDocumentFiles(request.body.tasks);
      const rows: IntakeWrite['rows'] = [];
      const rejected: IntakeResponse['rejected'] = [];
      const rowOf = (index: number) => request.body.rows?.[index] ?? index + 1;
      tasks.forEach((raw, index) => {
        const result = validateTaskInput(raw);
        if (!result.ok) {
          for (const error of result.errors) rejected.push({ row: rowOf(index), ...error });
          return;
        }
        const task: IntakeTask = actor.sourceSystem
          ? { ...result.task, sourceSystem: actor.sourceSystem }
          : result.task;
        rows.push({ row: rowOf(index), task });
      });
      const written = await writeIntake(app.db, { rows, files, teamId: actor.teamId, actor });
      return {
        accepted: written.taskIds.length,
        duplicates: written.duplicates,
        rejected,
        taskIds: written.taskIds,
      };
    },
  );

  async function intakeActor(apiKey: string | undefined, token: string | null, teamId: string | undefined) {
    if (apiKey !== undefined) {
      const identity = await apiKeyIdentity(app.db, apiKey);
      if (!identity) throw new HubError('unauthorized', 'the API key is unknown or revoked');
      // A case system's tasks always carry its own source system: one system cannot collide
      // with (or overwrite) another's task ids.
      return {
        teamId: identity.teamId,
        userId: null,
        apiKeyId: identity.keyId,
        sourceSystem: identity.sourceSystem,
      };
    }
    if (!token) throw new HubError('unauthorized', 'an API key or a session token is required');
    const session = await sessionUser(app.db, token);
    if (!session) throw new HubError('unauthorized', 'the session is unknown, expired or revoked');
    if (session.user.role === 'specialist') throw new HubError('forbidden', 'intake is for leads and admins');
    return {
      teamId: await leadTeam(app.db, session.user, teamId),
      userId: session.user.id,
      apiKeyId: null,
      sourceSystem: null,
    };
  }
};

export default intakeRoutes;
