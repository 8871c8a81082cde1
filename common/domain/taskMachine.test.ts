import { describe, expect, it } from 'vitest';
import { readRefusal } from '../contract/refusals';
import { announcementDeemedServedAt } from './announcement';
import { TASK_STATUSES, type Method, type TaskStatus } from './model';
import {
  TaskEventSchema,
  allowedEvents,
  applyTaskEvent,
  isDeliveredEquivalent,
  isOpen,
  methodOfStatus,
  type TaskEvent,
  type TaskState,
} from './taskMachine';

/** Applies events in order, failing the test on the first refusal. */
function run(start: TaskState, ...events: TaskEvent[]): TaskState {
  let state = start;
  for (const event of events) {
    const result = applyTaskEvent(state, event);
    if (!result.ok) throw new Error(`${event.type} refused in ${state.status}: ${result.reason}`);
    state = { status: result.status, method: result.method };
  }
  return state;
}

const at = (status: TaskStatus, method?: Method): TaskState => ({
  status,
  method: method ?? methodOfStatus(status) ?? 'electronic',
});

function refusal(state: TaskState, event: TaskEvent): string {
  const result = applyTaskEvent(state, event);
  if (result.ok) throw new Error(`expected ${event.type} to be refused in ${state.status}`);
  return result.reason;
}

const PUBLISHED = '2026-01-01T10:00:00+08:00';
const DELIVERED_STATES: TaskState[] = [
  at('delivered'),
  at('postal_delivered'),
  at('in_person_delivered'),
  at('deemed_served'),
];

describe('electronic delivery', () => {
  it('goes new → assigned → in progress → consented → sent → delivered → proof → closed', () => {
    const steps: [TaskEvent, TaskStatus][] = [
      [{ type: 'assign' }, 'assigned'],
      [{ type: 'start_work' }, 'in_progress'],
      [{ type: 'record_consent' }, 'consented'],
      [{ type: 'send' }, 'sent'],
      [{ type: 'confirm_delivery' }, 'delivered'],
      [{ type: 'issue_proof' }, 'proof_issued'],
      [{ type: 'close' }, 'closed'],
    ];
    let state = at('new');
    for (const [event, expected] of steps) {
      state = run(state, event);
      expect(state).toEqual({ status: expected, method: 'electronic' });
    }
  });

  it('keeps the status on repeated calls, reassignment and resending', () => {
    expect(run(at('in_progress'), { type: 'start_work' }).status).toBe('in_progress');
    expect(run(at('sent'), { type: 'start_work' }).status).toBe('sent');
    expect(run(at('consented'), { type: 'assign' }).status).toBe('consented');
    expect(run(at('sent'), { type: 'send' }).status).toBe('sent');
  });

  it('refuses steps out of order with a reason', () => {
    expect(refusal(at('new'), { type: 'start_work' })).toBe(
      'cannot start a call before the task is assigned',
    );
    expect(refusal(at('assigned'), { type: 'record_consent' })).toBe(
      'cannot record consent before a call has started',
    );
    for (const status of ['new', 'assigned', 'in_progress'] as const) {
      expect(refusal(at(status), { type: 'send' })).toBe('cannot send documents before consent is recorded');
    }
    expect(refusal(at('consented'), { type: 'confirm_delivery' })).toBe(
      'cannot confirm delivery before the documents are sent',
    );
    expect(refusal(at('sent'), { type: 'issue_proof' })).toBe(
      'cannot issue a proof of service before the task is delivered',
    );
    expect(refusal(at('delivered'), { type: 'close' })).toBe(
      'cannot close the task before its proof of service is issued',
    );
    expect(refusal(at('postal_pending'), { type: 'send' })).toBe(
      'cannot send documents while the task is postal pending',
    );
  });

  it('starts non-electronic tasks from intake in their method’s pending status', () => {
    expect(run(at('new', 'postal'), { type: 'assign' })).toEqual({
      status: 'postal_pending',
      method: 'postal',
    });
    expect(run(at('new', 'in_person'), { type: 'assign' }).status).toBe('in_person_pending');
    expect(run(at('new', 'announcement'), { type: 'assign' }).status).toBe('announcement_pending');
  });
});

describe('delivered tasks', () => {
  it('lead to proof and close from every delivered-equivalent status', () => {
    for (const state of DELIVERED_STATES) {
      expect(run(state, { type: 'issue_proof' }, { type: 'close' })).toEqual({
        status: 'closed',
        method: state.method,
      });
    }
  });

  it('stay delivered: no other event is accepted', () => {
    const others: TaskEvent[] = [
      { type: 'assign' },
      { type: 'start_work' },
      { type: 'send' },
      { type: 'confirm_delivery' },
      { type: 'escalate', to: 'announcement', reason: 'party_cannot_be_found' },
      { type: 'postal_returned', reason: 'moved away' },
      { type: 'visit_failed', reason: 'nobody home' },
    ];
    for (const state of DELIVERED_STATES) {
      for (const event of others) {
        expect(refusal(state, event)).toMatch(/already delivered .*a delivered task stays delivered/);
      }
    }
  });

  it('refuses everything after proof except close, and everything once closed', () => {
    expect(refusal(at('proof_issued'), { type: 'issue_proof' })).toBe(
      'the proof of service is already issued',
    );
    expect(refusal(at('proof_issued'), { type: 'escalate', to: 'postal', reason: 'lead_decision' })).toBe(
      'the proof of service is already issued',
    );
    expect(refusal(at('closed'), { type: 'close' })).toBe('the task is closed');
    expect(refusal(at('closed'), { type: 'assign' })).toBe('the task is closed');
  });
});

describe('escalation', () => {
  it('moves forward one method at a time', () => {
    const postal = run(at('in_progress'), { type: 'escalate', to: 'postal', reason: 'max_attempts' });
    expect(postal).toEqual({ status: 'postal_pending', method: 'postal' });
    const inPerson = run(
      postal,
      { type: 'postal_dispatch', trackingNumber: 'EMS1234567890CN' },
      { type: 'postal_returned', reason: '查无此人' },
      { type: 'escalate', to: 'in_person', reason: 'postal_returned' },
    );
    expect(inPerson).toEqual({ status: 'in_person_pending', method: 'in_person' });
    const announcement = run(
      inPerson,
      { type: 'visit_failed', reason: 'nobody at the residence' },
      { type: 'escalate', to: 'announcement', reason: 'in_person_failed' },
    );
    expect(announcement).toEqual({ status: 'announcement_pending', method: 'announcement' });
  });

  it('may skip forward when the lead decides', () => {
    expect(run(at('sent'), { type: 'escalate', to: 'in_person', reason: 'lead_decision' })).toEqual({
      status: 'in_person_pending',
      method: 'in_person',
    });
    expect(run(at('new'), { type: 'escalate', to: 'postal', reason: 'electronic_unsuitable' }).method).toBe(
      'postal',
    );
  });

  it('never goes backward or sideways', () => {
    expect(refusal(at('in_person_failed'), { type: 'escalate', to: 'postal', reason: 'lead_decision' })).toBe(
      'cannot escalate backward from in-person to postal delivery; the order is electronic → postal → in-person → announcement',
    );
    expect(refusal(at('postal_returned'), { type: 'escalate', to: 'postal', reason: 'lead_decision' })).toBe(
      'the task is already in postal delivery',
    );
  });

  it('allows announcement only after a failed method or when the party cannot be found', () => {
    const reason =
      'announcement is allowed only after postal or in-person delivery failed, or when the party cannot be found';
    expect(refusal(at('in_progress'), { type: 'escalate', to: 'announcement', reason: 'max_attempts' })).toBe(
      reason,
    );
    expect(
      refusal(at('postal_pending'), { type: 'escalate', to: 'announcement', reason: 'lead_decision' }),
    ).toBe(reason);
    expect(
      refusal(at('in_person_pending'), { type: 'escalate', to: 'announcement', reason: 'lead_decision' }),
    ).toBe(reason);
    expect(
      run(at('postal_returned'), { type: 'escalate', to: 'announcement', reason: 'postal_returned' }).status,
    ).toBe('announcement_pending');
    expect(
      run(at('in_progress'), { type: 'escalate', to: 'announcement', reason: 'party_cannot_be_found' })
        .status,
    ).toBe('announcement_pending');
  });

  it('waits for a letter in transit, and has nowhere to go after announcement', () => {
    expect(
      refusal(at('postal_dispatched'), { type: 'escalate', to: 'in_person', reason: 'lead_decision' }),
    ).toBe('cannot escalate while a letter is in transit; record it as delivered or returned first');
    for (const status of ['announcement_pending', 'announced'] as const) {
      expect(refusal(at(status), { type: 'escalate', to: 'announcement', reason: 'lead_decision' })).toBe(
        'announcement is the last method; there is nothing to escalate to',
      );
    }
  });
});

describe('postal delivery', () => {
  it('dispatches with a tracking number and ends delivered or returned', () => {
    const dispatched = run(at('postal_pending'), { type: 'postal_dispatch', trackingNumber: 'EMS1' });
    expect(dispatched.status).toBe('postal_dispatched');
    expect(run(dispatched, { type: 'postal_delivered' }).status).toBe('postal_delivered');
    expect(run(dispatched, { type: 'postal_returned', reason: '拒收' }).status).toBe('postal_returned');
  });

  it('dispatches again after a return (next fallback address)', () => {
    expect(run(at('postal_returned'), { type: 'postal_dispatch', trackingNumber: 'EMS2' }).status).toBe(
      'postal_dispatched',
    );
  });

  it('refuses a dispatch without a tracking number, a return without a reason, and results before dispatch', () => {
    expect(refusal(at('postal_pending'), { type: 'postal_dispatch', trackingNumber: '  ' })).toBe(
      'a postal dispatch needs a tracking number',
    );
    expect(refusal(at('postal_dispatched'), { type: 'postal_returned', reason: '' })).toBe(
      'a returned letter needs a reason',
    );
    expect(refusal(at('postal_pending'), { type: 'postal_delivered' })).toBe(
      'cannot record a postal delivery: no letter is in transit (the task is postal pending)',
    );
  });
});

describe('in-person delivery', () => {
  it('ends delivered or failed, and a failed visit can be tried again', () => {
    expect(run(at('in_person_pending'), { type: 'visit_delivered' }).status).toBe('in_person_delivered');
    const failed = run(at('in_person_pending'), { type: 'visit_failed', reason: 'moved away' });
    expect(failed.status).toBe('in_person_failed');
    expect(run(failed, { type: 'visit_delivered' }).status).toBe('in_person_delivered');
  });

  it('refuses a failed visit without a reason and visits outside in-person delivery', () => {
    expect(refusal(at('in_person_pending'), { type: 'visit_failed', reason: ' ' })).toBe(
      'a failed visit needs a reason',
    );
    expect(refusal(at('postal_pending'), { type: 'visit_delivered' })).toBe(
      'cannot record an in-person delivery while the task is postal pending',
    );
  });
});

describe('announcement', () => {
  it('is deemed served 30 days after publication, on the court’s calendar', () => {
    expect(announcementDeemedServedAt(PUBLISHED)).toBe('2026-01-30T16:00:00.000Z'); // 2026-01-31 00:00 in Shanghai
    // Late evening UTC is already the next day in China.
    expect(announcementDeemedServedAt('2026-01-01T20:00:00Z')).toBe('2026-01-31T16:00:00.000Z');
  });

  it('refuses deem_served before the 30 days have passed, accepts it after', () => {
    const announced = run(at('announcement_pending'), {
      type: 'publish_announcement',
      publishedAt: PUBLISHED,
    });
    expect(announced).toEqual({ status: 'announced', method: 'announcement' });
    expect(
      refusal(announced, { type: 'deem_served', publishedAt: PUBLISHED, at: '2026-01-30T23:59:00+08:00' }),
    ).toBe('cannot deem served before 2026-01-31, 30 days after publication on 2026-01-01 (Asia/Shanghai)');
    expect(
      run(announced, { type: 'deem_served', publishedAt: PUBLISHED, at: '2026-01-31T00:00:00+08:00' }),
    ).toEqual({
      status: 'deemed_served',
      method: 'announcement',
    });
  });

  it('refuses deem_served before publication and publication with a bad date', () => {
    expect(
      refusal(at('announcement_pending'), {
        type: 'deem_served',
        publishedAt: PUBLISHED,
        at: '2026-03-01T00:00:00Z',
      }),
    ).toBe('cannot deem the task served before the announcement is published');
    expect(
      refusal(at('announcement_pending'), { type: 'publish_announcement', publishedAt: '2026-01-01' }),
    ).toBe('publishedAt is not an ISO date-time with an offset');
  });
});

describe('state queries', () => {
  it('allowedEvents agrees with applyTaskEvent for simple events', () => {
    expect(allowedEvents('new')).toEqual(['assign', 'escalate']);
    expect(allowedEvents('sent')).toEqual(['assign', 'start_work', 'send', 'confirm_delivery', 'escalate']);
    expect(allowedEvents('delivered')).toEqual(['issue_proof']);
    expect(allowedEvents('proof_issued')).toEqual(['close']);
    expect(allowedEvents('closed')).toEqual([]);
    expect(allowedEvents('postal_dispatched')).toEqual(['assign', 'postal_delivered', 'postal_returned']);
  });

  it('isOpen and isDeliveredEquivalent split the statuses', () => {
    const delivered = TASK_STATUSES.filter(isDeliveredEquivalent);
    expect(delivered).toEqual(['delivered', 'postal_delivered', 'in_person_delivered', 'deemed_served']);
    const closedOrDone = TASK_STATUSES.filter((status) => !isOpen(status));
    expect(closedOrDone).toEqual([...delivered.slice(0, 1), 'proof_issued', 'closed', ...delivered.slice(1)]);
  });

  it('refuses a state whose status belongs to another method', () => {
    expect(refusal({ status: 'postal_pending', method: 'electronic' }, { type: 'assign' })).toBe(
      'inconsistent task state: status postal pending belongs to postal delivery, not electronic',
    );
  });

  it('parses events at the boundary', () => {
    expect(
      TaskEventSchema.safeParse({ type: 'escalate', to: 'postal', reason: 'max_attempts' }).success,
    ).toBe(true);
    expect(
      TaskEventSchema.safeParse({ type: 'escalate', to: 'electronic', reason: 'max_attempts' }).success,
    ).toBe(false);
    expect(TaskEventSchema.safeParse({ type: 'postal_dispatch', trackingNumber: '' }).success).toBe(false);
    expect(TaskEventSchema.safeParse({ type: 'fly_away' }).success).toBe(false);
  });
});

describe('refusal codes', () => {
  const code = (state: TaskState, event: TaskEvent) => {
    const result = applyTaskEvent(state, event);
    if (result.ok) throw new Error(`expected ${event.type} to be refused in ${state.status}`);
    return { code: result.code, params: result.params };
  };

  it('names what is missing, so the desk can say it in its own language', () => {
    expect(code(at('new'), { type: 'start_work' })).toEqual({
      code: 'transition_needs_assignment',
      params: { event: 'start_work' },
    });
    expect(code(at('assigned'), { type: 'record_consent' }).code).toBe('transition_needs_call');
    expect(code(at('in_progress'), { type: 'send' }).code).toBe('transition_needs_consent');
    expect(code(at('consented'), { type: 'confirm_delivery' }).code).toBe('transition_needs_sending');
    expect(code(at('sent'), { type: 'issue_proof' }).code).toBe('transition_needs_delivery');
    expect(code(at('delivered'), { type: 'close' }).code).toBe('transition_needs_proof');
    expect(
      code(at('announcement_pending'), { type: 'deem_served', publishedAt: PUBLISHED, at: PUBLISHED }),
    ).toEqual({ code: 'transition_needs_publication', params: { event: 'deem_served' } });
    expect(code(at('postal_pending'), { type: 'send' })).toEqual({
      code: 'transition_not_allowed',
      params: { event: 'send', status: 'postal_pending' },
    });
    expect(code(at('closed'), { type: 'assign' })).toEqual({ code: 'task_closed', params: {} });
    expect(code(at('proof_issued'), { type: 'assign' }).code).toBe('proof_already_issued');
    expect(code(at('delivered'), { type: 'send' })).toEqual({
      code: 'task_already_delivered',
      params: { status: 'delivered' },
    });
    expect(code({ status: 'postal_pending', method: 'electronic' }, { type: 'assign' })).toEqual({
      code: 'task_state_inconsistent',
      params: { status: 'postal_pending', method: 'electronic' },
    });
  });

  it('codes escalation, payload and announcement refusals', () => {
    const escalate = (to: 'postal' | 'in_person' | 'announcement') =>
      ({ type: 'escalate', to, reason: 'lead_decision' }) as const;
    expect(code(at('postal_dispatched'), escalate('in_person')).code).toBe('escalate_letter_in_transit');
    expect(code(at('announced'), escalate('announcement')).code).toBe('escalate_none_left');
    expect(code(at('in_person_failed'), escalate('postal'))).toEqual({
      code: 'escalate_backward',
      params: { from: 'in_person', to: 'postal' },
    });
    expect(code(at('postal_returned'), escalate('postal'))).toEqual({
      code: 'escalate_same_method',
      params: { method: 'postal' },
    });
    expect(code(at('postal_pending'), escalate('announcement')).code).toBe('announcement_not_allowed');
    expect(code(at('postal_pending'), { type: 'postal_delivered' })).toEqual({
      code: 'no_letter_in_transit',
      params: { event: 'postal_delivered', status: 'postal_pending' },
    });
    expect(code(at('postal_dispatched'), { type: 'postal_returned', reason: ' ' })).toEqual({
      code: 'failure_reason_required',
      params: { event: 'postal_returned' },
    });
    expect(code(at('postal_pending'), { type: 'postal_dispatch', trackingNumber: ' ' }).code).toBe(
      'tracking_number_required',
    );
    expect(
      code(at('announced'), {
        type: 'deem_served',
        publishedAt: PUBLISHED,
        at: '2026-01-15T10:00:00+08:00',
      }),
    ).toEqual({
      code: 'deem_served_too_early',
      params: { servedOn: '2026-01-31', publishedOn: '2026-01-01', days: 30 },
    });
    expect(
      code(at('announcement_pending'), { type: 'publish_announcement', publishedAt: '2026-01-01' }),
    ).toEqual({ code: 'instant_invalid', params: { field: 'publishedAt' } });
  });

  it('answers every refused event in every status with a registered code and exactly its params', () => {
    const events: TaskEvent[] = [
      { type: 'assign' },
      { type: 'start_work' },
      { type: 'record_consent' },
      { type: 'send' },
      { type: 'confirm_delivery' },
      { type: 'issue_proof' },
      { type: 'close' },
      ...(['postal', 'in_person', 'announcement'] as const).map(
        (to) => ({ type: 'escalate', to, reason: 'lead_decision' }) as const,
      ),
      { type: 'postal_dispatch', trackingNumber: 'EMS1' },
      { type: 'postal_delivered' },
      { type: 'postal_returned', reason: '拒收' },
      { type: 'visit_delivered' },
      { type: 'visit_failed', reason: '无人' },
      { type: 'publish_announcement', publishedAt: PUBLISHED },
      { type: 'deem_served', publishedAt: PUBLISHED, at: PUBLISHED },
    ];
    let refusals = 0;
    for (const status of TASK_STATUSES) {
      for (const event of events) {
        const result = applyTaskEvent(at(status), event);
        if (result.ok) continue;
        refusals++;
        expect(
          readRefusal({ code: result.code, params: result.params }),
          `${event.type} in ${status}`,
        ).toEqual({
          code: result.code,
          params: result.params,
        });
      }
    }
    expect(refusals).toBeGreaterThan(200);
  });
});
