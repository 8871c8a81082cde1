import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../common/sync/hubApi';
import {
  PullQuery,
  PullResponse,
  PushRequest,
  PushResponse,
  TaskId,
  TaskSnapshot,
  type ChangeNotice,
} from '../../../common/sync/protocol';
import { userOf } from '../../plugins/auth';
import { changedTasksAfter } from '../../store/changes';
import { applyPush } from '../../store/syncPush';
import { taskForUser, taskSnapshots } from '../../store/tasks';
import { errorResponses, SIGNED_IN } from '../schemas';

/** Keeps proxies from closing a quiet event stream. */
const HEARTBEAT_MS = 25_000;

const syncRoutes: FastifyPluginAsyncZod = async (app) => {
  const signedIn = app.requireRole(...ROLES);
  // Open event streams, ended when the hub closes (they would otherwise hold it open).
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of streams) close();
  });

  app.post(
    '/push',
    {
      onRequest: signedIn,
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        summary: "Applies a desk's queued operations in mutation-id order, each at most once",
        body: PushRequest,
        response: { 200: PushResponse, ...errorResponses(...SIGNED_IN) },
      },
    },
    async (request) => applyPush(app.db, userOf(request), request.body.clientId, request.body.operations),
  );

  app.get(
    '/pull',
    {
      onRequest: signedIn,
      schema: {
        summary: 'Task snapshots changed after the cursor, scoped to what the user may see',
        querystring: PullQuery,
        response: { 200: PullResponse, ...errorResponses(...SIGNED_IN) },
      },
    },
    async (request) => {
      const user = userOf(request);
      const page = await changedTasksAfter(app.db, user, request.query.cursor, request.query.limit);
      return { tasks: await taskSnapshots(app.db, page.taskIds), cursor: page.cursor, more: page.more };
    },
  );

  app.get(
    '/tasks/:taskId',
    {
      onRequest: signedIn,
      schema: {
        summary: 'One task as the user may see it',
        params: z.strictObject({ taskId: TaskId }),
        response: { 200: TaskSnapshot, ...errorResponses(...SIGNED_IN, 404) },
      },
    },
    async (request) => {
      const task = await taskForUser(app.db, userOf(request), request.params.taskId);
      const [snapshot] = await taskSnapshots(app.db, [task.id]);
      return snapshot!;
    },
  );

  app.get(
    '/events',
    {
      onRequest: signedIn,
      schema: {
        summary: 'Server-sent events: `changed` when something the user may see changed (pull then)',
        response: { 200: z.string().describe('text/event-stream'), ...errorResponses(...SIGNED_IN) },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (notice: ChangeNotice) =>
        stream.write(`event: changed\ndata: ${JSON.stringify(notice)}\n\n`);
      stream.write('event: ready\ndata: {}\n\n');
      const unsubscribe = app.notices.subscribe(user, send);
      const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(close);
        stream.end();
      };
      streams.add(close);
      request.raw.on('close', close);
    },
  );
};

export default syncRoutes;
