import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AutoAssignRequest,
  BulkResult,
  LeadQueuePage,
  LeadQueueQuery,
  PriorityRequest,
  ReassignRequest,
  TeamLoad,
  TeamLoadQuery,
} from '../../../common/sync/hubApi';
import { userOf } from '../../plugins/auth';
import { autoAssign, changePriority, leadTeam, reassign, teamLoad, teamQueue } from '../../store/lead';
import { errorResponses, SIGNED_IN } from '../schemas';

// The lead console: the team's queue with its filters, moves (each with a reason, audited and
// pushed to the desks involved), and each member's load today. Leads and admins only.

const leadRoutes: FastifyPluginAsyncZod = async (app) => {
  const leads = app.requireRole('lead', 'admin');
  const errors = errorResponses(...SIGNED_IN, 404);
  const teamOf = (request: Parameters<typeof userOf>[0], teamId?: string) =>
    leadTeam(app.db, userOf(request), teamId);

  app.get(
    '/queue',
    {
      onRequest: leads,
      schema: {
        summary: "The team's tasks across all members, filtered and paged",
        querystring: LeadQueueQuery,
        response: { 200: LeadQueuePage, ...errors },
      },
    },
    async (request) => teamQueue(app.db, await teamOf(request, request.query.teamId), request.query),
  );

  app.post(
    '/reassign',
    {
      onRequest: leads,
      schema: {
        summary: 'Gives tasks to a team member, or back to the pool (assigneeId null), with a reason',
        body: ReassignRequest,
        response: { 200: BulkResult, ...errors },
      },
    },
    async (request) =>
      reassign(app.db, userOf(request), await teamOf(request, request.body.teamId), request.body),
  );

  app.post(
    '/auto-assign',
    {
      onRequest: leads,
      schema: {
        summary: "Hands unassigned tasks out round-robin by each specialist's open load",
        body: AutoAssignRequest,
        response: { 200: BulkResult, ...errorResponses(...SIGNED_IN, 404, 409) },
      },
    },
    async (request) =>
      autoAssign(app.db, userOf(request), await teamOf(request, request.body.teamId), request.body),
  );

  app.post(
    '/priority',
    {
      onRequest: leads,
      schema: {
        summary: "Changes tasks' priority, with a reason",
        body: PriorityRequest,
        response: { 200: BulkResult, ...errors },
      },
    },
    async (request) =>
      changePriority(app.db, userOf(request), await teamOf(request, request.body.teamId), request.body),
  );

  app.get(
    '/load',
    {
      onRequest: leads,
      schema: {
        summary: "Each member's load today: open tasks, attempts, connects, consents, online",
        querystring: TeamLoadQuery,
        response: { 200: TeamLoad, ...errors },
      },
    },
    async (request) =>
      teamLoad(app.db, await teamOf(request, request.query.teamId), app.config.onlineWindowSeconds),
  );
};

export default leadRoutes;
