import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignedTasks,
  attemptOp,
  backend,
  bearer,
  intakeTask,
  newClientId,
  recordingOp,
  type Member,
  useSeededHub,
  type World,
} from '../test/hubFixture';

// Role and team checks on every route: the table below must name every route of /openapi.json,
// so a new route without a line here fails this test.

type Call = { method: 'GET' | 'POST' | 'PATCH' | 'HEAD'; url: string; payload?: object; headers?: object };

interface RouteCase {
  route: string;
  /** Who may call it at all (others: 403); no session: 401. Public routes carry their own credential. */
  roles: 'everyone' | 'leads' | 'specialists' | 'public';
  /** The call a team-A outsider (spec.b or lead.b) makes against team A's data. */
  call: (w: World, taskId: string, blob: string) => Call;
  /** What the team-B user must not get: the status refused with and what must be unchanged. */
  outsider?: { as: 'specB' | 'leadB'; status: number };
}

describe(`hub: every route checks role and team (${backend})`, () => {
  // Sending set up without channels: the send routes' checks come before any channel is used.
  const hub = useSeededHub({ send: { publicUrl: 'http://127.0.0.1:9' } });
  let taskA: string;
  let blobA: string;
  beforeAll(async () => {
    taskA = (await assignedTasks(hub.world, hub.world.specA1))[0]!;
    const bytes = randomBytes(100);
    blobA = createHash('sha256').update(bytes).digest('hex');
    await hub.app.inject({
      method: 'PATCH',
      url: `/blobs/${blobA}`,
      headers: {
        ...bearer(hub.world.specA1),
        'content-type': 'application/octet-stream',
        'upload-offset': '0',
        'upload-length': '100',
      },
      payload: bytes,
    });
    await hub.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(hub.world.specA1),
      payload: {
        clientId: newClientId(),
        operations: [recordingOp(taskA!, 1, blobA, 100)],
      },
    });
  });

  const CASES: RouteCase[] = [
    { route: 'POST /auth/login', roles: 'public', call: () => ({ method: 'POST', url: '/auth/login' }) },
    { route: 'POST /auth/logout', roles: 'everyone', call: () => ({ method: 'POST', url: '/auth/logout' }) },
    { route: 'GET /auth/me', roles: 'everyone', call: () => ({ method: 'GET', url: '/auth/me' }) },
    {
      route: 'POST /intake/tasks',
      roles: 'leads',
      call: (w) => ({
        method: 'POST',
        url: '/intake/tasks',
        payload: { tasks: [intakeTask()], teamId: w.teamA },
      }),
      outsider: { as: 'leadB', status: 403 },
    },
    {
      route: 'POST /sync/push',
      roles: 'everyone',
      // Answered 200 with the operation rejected as forbidden: checked in sync.test.ts.
      call: (_w, taskId) => ({
        method: 'POST',
        url: '/sync/push',
        payload: { clientId: newClientId(), operations: [attemptOp(taskId, 1)] },
      }),
    },
    { route: 'GET /sync/pull', roles: 'everyone', call: () => ({ method: 'GET', url: '/sync/pull' }) },
    {
      route: 'GET /sync/tasks/{taskId}',
      roles: 'everyone',
      call: (_w, taskId) => ({ method: 'GET', url: `/sync/tasks/${taskId}` }),
      outsider: { as: 'specB', status: 403 },
    },
    { route: 'GET /sync/events', roles: 'everyone', call: () => ({ method: 'GET', url: '/sync/events' }) },
    {
      route: 'HEAD /blobs/{sha256}',
      roles: 'everyone',
      call: (_w, _t, blob) => ({ method: 'HEAD', url: `/blobs/${blob}` }),
    },
    {
      route: 'PATCH /blobs/{sha256}',
      roles: 'everyone',
      call: (_w, _t, blob) => ({
        method: 'PATCH',
        url: `/blobs/${blob}`,
        headers: { 'content-type': 'application/octet-stream', 'upload-offset': '0', 'upload-length': '1' },
        payload: Buffer.from('x'),
      }),
    },
    {
      route: 'GET /blobs/{sha256}',
      roles: 'everyone',
      call: (_w, _t, blob) => ({ method: 'GET', url: `/blobs/${blob}` }),
      outsider: { as: 'specB', status: 404 },
    },
    {
      route: 'GET /lead/queue',
      roles: 'leads',
      call: (w) => ({ method: 'GET', url: `/lead/queue?teamId=${w.teamA}` }),
      outsider: { as: 'leadB', status: 403 },
    },
    {
      route: 'POST /lead/reassign',
      roles: 'leads',
      call: (w, taskId) => ({
        method: 'POST',
        url: '/lead/reassign',
        payload: { taskIds: [taskId], assigneeId: null, reason: 'mine now', teamId: w.teamA },
      }),
      outsider: { as: 'leadB', status: 403 },
    },
    {
      route: 'POST /lead/auto-assign',
      roles: 'leads',
      call: (w, taskId) => ({
        method: 'POST',
        url: '/lead/auto-assign',
        payload: { taskIds: [taskId], teamId: w.teamA },
      }),
      outsider: { as: 'leadB', status: 403 },
    },
    {
      route: 'POST /lead/priority',
      roles: 'leads',
      call: (w, taskId) => ({
        method: 'POST',
        url: '/lead/priority',
        payload: { taskIds: [taskId], priority: 'urgent', reason: 'x', teamId: w.teamA },
      }),
      outsider: { as: 'leadB', status: 403 },
    },
    {
      route: 'GET /lead/load',
      roles: 'leads',
      call: (w) => ({ method: 'GET', url: `/lead/load?teamId=${w.teamA}` }),
      outsider: { as: 'leadB', status: 403 },
    },
    {
      route: 'POST /send/messages',
      roles: 'specialists',
      call: (_w, taskId, blob) => ({
        method: 'POST',
        url: '/send/messages',
        payload: {
          sendId: newClientId(),
          taskId,
          channels: [{ channel: 'sms', address: '13812345678' }],
          documents: [blob],
        },
      }),
      outsider: { as: 'specB', status: 403 },
    },
    {
      route: 'POST /send/preview',
      roles: 'specialists',
      call: (_w, taskId, blob) => ({
        method: 'POST',
        url: '/send/preview',
        payload: { taskId, channels: [{ channel: 'sms', address: '13812345678' }], documents: [blob] },
      }),
      outsider: { as: 'specB', status: 403 },
    },
    {
      route: 'POST /send/messages/{messageId}/revoke',
      roles: 'everyone',
      // No message yet on this hub: the team check itself is tested in send.test.ts.
      call: () => ({
        method: 'POST',
        url: `/send/messages/${newClientId()}/revoke`,
        payload: { reason: 'wrong number' },
      }),
      outsider: { as: 'specB', status: 404 },
    },
    // The carrier's reports (x-report-token) and the recipient's portal (the link's token, then
    // the portal session): tested in send.test.ts and portal.test.ts.
    // The case system's result (API key; checked in server/seal/caseResults.test.ts).
    {
      route: 'GET /intake/tasks/{sourceTaskId}/result',
      roles: 'public',
      call: () => ({ method: 'GET', url: '/intake/tasks/T-1/result' }),
    },
    {
      route: 'GET /intake/tasks/{sourceTaskId}/result/proof.pdf',
      roles: 'public',
      call: () => ({ method: 'GET', url: '/intake/tasks/T-1/result/proof.pdf' }),
    },
    {
      route: 'POST /send/reports/sms',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/send/reports/sms' }),
    },
    {
      route: 'POST /portal/api/open',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/portal/api/open' }),
    },
    {
      route: 'POST /portal/api/otp',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/portal/api/otp' }),
    },
    {
      route: 'POST /portal/api/verify',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/portal/api/verify' }),
    },
    {
      route: 'GET /portal/api/case',
      roles: 'public',
      call: () => ({ method: 'GET', url: '/portal/api/case' }),
    },
    {
      route: 'GET /portal/api/documents/{sha256}',
      roles: 'public',
      call: (_w, _t, blob) => ({ method: 'GET', url: `/portal/api/documents/${blob}` }),
    },
    {
      route: 'POST /portal/api/confirm',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/portal/api/confirm' }),
    },
    {
      route: 'POST /portal/api/address-confirmation',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/portal/api/address-confirmation' }),
    },
    // The evidence bundle (a session or the case system's key; the team checks in proofRoutes.test.ts)
    // and the public verification (no credential; rate limited).
    {
      route: 'GET /proofs/{proofId}/bundle',
      roles: 'everyone',
      call: () => ({ method: 'GET', url: '/proofs/DD-0000-access/bundle' }),
      outsider: { as: 'specB', status: 404 },
    },
    {
      route: 'POST /verify',
      roles: 'public',
      call: () => ({ method: 'POST', url: '/verify' }),
    },
    {
      route: 'GET /verify/{proofId}',
      roles: 'public',
      call: () => ({ method: 'GET', url: '/verify/DD-0000-access' }),
    },
  ];

  const send = (call: Call, member?: Member) =>
    hub.app.inject({
      method: call.method,
      url: call.url,
      headers: { ...(call.headers ?? {}), ...(member ? bearer(member) : {}) },
      ...(call.payload ? { payload: call.payload } : {}),
    });

  const taskState = async () =>
    hub.app.db.query('SELECT assignee_id, priority, status, attempts FROM tasks WHERE id = $1', [taskA]);

  it('has a case for every route in the OpenAPI description', async () => {
    const spec = (await hub.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(routes)).toEqual(new Set(CASES.map((c) => c.route)));
  });

  it.each(CASES.filter((c) => c.roles !== 'public').map((c) => [c.route, c] as const))(
    '%s refuses a request without a session',
    async (_route, routeCase) => {
      const response = await send(routeCase.call(hub.world, taskA, blobA));
      expect(response.statusCode).toBe(401);
    },
  );

  it.each(CASES.filter((c) => c.roles === 'leads').map((c) => [c.route, c] as const))(
    '%s refuses a specialist',
    async (_route, routeCase) => {
      const before = await taskState();
      const response = await send(routeCase.call(hub.world, taskA, blobA), hub.world.specA1);
      expect(response.statusCode).toBe(403);
      expect(await taskState()).toEqual(before);
    },
  );

  it.each(CASES.filter((c) => c.roles === 'specialists').map((c) => [c.route, c] as const))(
    '%s refuses a lead and an admin, and sends nothing',
    async (_route, routeCase) => {
      for (const member of [hub.world.leadA, hub.world.admin]) {
        const response = await send(routeCase.call(hub.world, taskA, blobA), member);
        expect(response.statusCode).toBe(403);
      }
      expect(await hub.app.db.query('SELECT 1 FROM messages')).toHaveLength(0);
    },
  );

  it('answers the portal’s session routes 401 without a verified session', async () => {
    for (const url of ['/portal/api/case', `/portal/api/documents/${blobA}`]) {
      expect((await send({ method: 'GET', url })).statusCode).toBe(401);
    }
    const confirm = await send({ method: 'POST', url: '/portal/api/confirm', payload: {} });
    expect(confirm.statusCode).toBe(401);
  });

  it.each(CASES.filter((c) => c.outsider).map((c) => [c.route, c] as const))(
    "%s refuses another team's user and changes nothing",
    async (_route, routeCase) => {
      const before = await taskState();
      const response = await send(routeCase.call(hub.world, taskA, blobA), hub.world[routeCase.outsider!.as]);
      expect(response.statusCode).toBe(routeCase.outsider!.status);
      expect(await taskState()).toEqual(before);
    },
  );

  it("answers another team's lead nothing of team A through the lead routes' own team", async () => {
    const page = await send({ method: 'GET', url: '/lead/queue?limit=200' }, hub.world.leadB);
    expect(page.json().rows.map((r: { id: string }) => r.id)).not.toContain(taskA);
    const moved = await send(
      { method: 'POST', url: '/lead/reassign', payload: { taskIds: [taskA], assigneeId: null, reason: 'x' } },
      hub.world.leadB,
    );
    expect(moved.json()).toMatchObject({ updated: 0, skipped: [{ taskId: taskA }] });
    const pulled = await send({ method: 'GET', url: '/sync/pull' }, hub.world.specB);
    expect(pulled.json().tasks.map((t: { id: string }) => t.id)).not.toContain(taskA);
  });
});
