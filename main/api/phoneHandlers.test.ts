import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../common/contract';
import { clockStartingAt } from '../app/clock';
import { openDeskWithTasks, phoneOf, value } from '../evidence/testing/deskFixture';
import type { DeskBackend } from './dispatcher';

// The softphone's call facts through the dispatch, on a real SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'desk-phone-'));
let desk: DeskBackend;
beforeAll(async () => {
  desk = await openDeskWithTasks(dir);
});
afterAll(() => {
  desk.close();
  rmSync(dir, { recursive: true, force: true });
});

const SETTINGS = {
  wsServer: 'ws://127.0.0.1:5066',
  sipUri: 'sip:8001@desk.test',
  dialPrefixes: { mobile: '9', landline: '90' },
};

async function start(taskId: number, direction?: 'inbound' | 'outbound') {
  return value(
    await desk.dispatch('callStart', {
      taskId,
      phoneId: await phoneOf(desk, taskId),
      ...(direction ? { direction } : {}),
    }),
  ) as { attemptId: number; dial: { number: string; extension: string | null } };
}
const event = async (attemptId: number, e: object) =>
  value(await desk.dispatch('callEvent', { attemptId, event: e })) as {
    call: Record<string, unknown>;
    suggestedDisposition: string | null;
  };

describe('callStart for the softphone', () => {
  it('answers what to dial: the digits with the dial prefix for their kind, and the extension', async () => {
    expect((await start(1)).dial).toEqual({ number: '13812345678', extension: null });
    value(await desk.dispatch('phoneSettingsSave', { settings: SETTINGS }));
    expect((await start(1)).dial).toEqual({ number: '913812345678', extension: null });
    expect((await start(2)).dial).toEqual({ number: '9004738123456', extension: '801' });
  });

  it('takes an inbound call outside calling hours; an outbound one is refused', async () => {
    const night = await openDeskWithTasks(dir, { clock: clockStartingAt('2026-11-23T23:00:00+08:00') });
    try {
      const phoneId = await phoneOf(night, 1);
      expect(await night.dispatch('callStart', { taskId: 1, phoneId })).toMatchObject({
        ok: false,
        error: { code: 'refused', details: { code: 'call_outside_hours' } },
      });
      const inbound = value(
        await night.dispatch('callStart', { taskId: 1, phoneId, direction: 'inbound' }),
      ) as {
        attemptId: number;
        task: TaskDetail;
      };
      const attempt = inbound.task.attempts.find((a) => a.id === inbound.attemptId)!;
      expect(attempt.call).toMatchObject({ direction: 'inbound', sipCallId: null });
    } finally {
      night.close();
    }
  });
});

describe('callEvent', () => {
  it('stamps each fact with main’s clock and, at the end, suggests nothing for a connected call', async () => {
    const { attemptId } = await start(1);
    const invite = await event(attemptId, { type: 'invite', sipCallId: 'abc@desk', dialled: '913812345678' });
    expect(invite.call).toMatchObject({ sipCallId: 'abc@desk', dialled: '913812345678', ringingAt: null });
    expect(invite.call.inviteAt).toMatch(/^2026-11-23T02:00/);
    await event(attemptId, { type: 'ringing', sipStatus: 180 });
    await event(attemptId, { type: 'answered' });
    await event(attemptId, { type: 'muted' });
    await event(attemptId, { type: 'dtmf', digits: '801' });
    await event(attemptId, { type: 'media_connected' });
    const ended = await event(attemptId, {
      type: 'ended',
      sipStatus: 200,
      reason: 'BYE',
      hungUpBy: 'local',
      stats: { packetsLost: 0, packetsReceived: 250, jitterMs: 1.2, roundTripMs: null },
    });
    expect(ended.suggestedDisposition).toBeNull();
    expect(ended.call).toMatchObject({
      sipStatus: 200,
      hungUpBy: 'local',
      stats: { packetsLost: 0, packetsReceived: 250, jitterMs: 1.2, roundTripMs: null },
    });
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
    expect(task.timeline[0]).toMatchObject({
      type: 'call.ended',
      data: { attemptId, sipStatus: 200, connected: true, suggestedDisposition: null },
    });
  });

  it('suggests busy for 486; the facts are final once ended', async () => {
    const { attemptId } = await start(1);
    await event(attemptId, { type: 'invite', sipCallId: 'busy@desk', dialled: '913812345678' });
    const ended = await event(attemptId, {
      type: 'ended',
      sipStatus: 486,
      reason: 'Busy Here',
      hungUpBy: 'remote',
      stats: null,
    });
    expect(ended).toMatchObject({ suggestedDisposition: 'busy', call: { sipStatus: 486, stats: null } });
    expect(await desk.dispatch('callEvent', { attemptId, event: { type: 'answered' } })).toMatchObject({
      ok: false,
      error: { code: 'refused', details: { code: 'call_ended', params: { attemptId } } },
    });
    // The specialist still decides: another disposition is recorded as given.
    const after = value(
      await desk.dispatch('callOutcome', { taskId: 1, attemptId, disposition: 'no_answer' }),
    ) as TaskDetail;
    expect(after.attempts.find((a) => a.id === attemptId)).toMatchObject({
      disposition: 'no_answer',
      call: { sipStatus: 486 },
    });
  });

  it('answered without media is not connected and suggests nothing', async () => {
    const { attemptId } = await start(2);
    await event(attemptId, { type: 'invite', sipCallId: 'nomedia@desk', dialled: '9004738123456' });
    await event(attemptId, { type: 'answered' });
    const ended = await event(attemptId, {
      type: 'ended',
      sipStatus: 200,
      reason: 'ICE failed',
      hungUpBy: 'system',
      stats: null,
    });
    expect(ended.suggestedDisposition).toBeNull();
    const task = value(await desk.dispatch('taskGet', { taskId: 2 })) as TaskDetail;
    expect(task.timeline[0]).toMatchObject({ type: 'call.ended', data: { connected: false } });
  });

  it('refuses an event for an attempt without a softphone call, and a malformed event', async () => {
    const manual = value(
      await desk.dispatch('callOutcome', { taskId: 2, disposition: 'busy' }),
    ) as TaskDetail;
    const attemptId = manual.attempts[0]!.id;
    expect(manual.attempts[0]!.call).toBeNull();
    expect(await desk.dispatch('callEvent', { attemptId, event: { type: 'answered' } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await desk.dispatch('callEvent', { attemptId, event: { type: 'ringing', sipStatus: 200 } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('phoneMatchCaller', () => {
  it('finds the task by the caller’s number in any format', async () => {
    for (const number of ['+86 138 1234 5678', '13812345678', '008613812345678']) {
      expect(value(await desk.dispatch('phoneMatchCaller', { number }))).toEqual([
        {
          taskId: 1,
          phoneId: await phoneOf(desk, 1),
          partyName: '张三',
          caseNumber: '(2026)内0303民初1001号',
          open: true,
        },
      ]);
    }
    expect(value(await desk.dispatch('phoneMatchCaller', { number: '04738123456' }))).toMatchObject([
      { taskId: 2, partyName: '李四' },
    ]);
    expect(value(await desk.dispatch('phoneMatchCaller', { number: 'anonymous' }))).toEqual([]);
    expect(value(await desk.dispatch('phoneMatchCaller', { number: '13900000000' }))).toEqual([]);
  });
});
