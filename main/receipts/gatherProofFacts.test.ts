import { describe, expect, it } from 'vitest';
import { computeLegalEffect } from '../../common/domain/legalEffect';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import { validateTaskInput } from '../../common/intake/validateTask';
import { effectFactsOf } from '../../common/proof/proofFacts';
import type { FactView, TaskSnapshot } from '../../common/sync/protocol';
import type { MessageView } from '../../common/sync/send';
import { gatherProofFacts, type ProofContext } from './gatherProofFacts';

// The proof's facts of a task served by SMS and e-mail, from the hub's snapshot as the desk pulls
// it: every message, report, portal event, consent and address confirmation is cited by the hub's
// own id with the hub's times (the evidence bundle and the hub's /verify look them up by these),
// portal events keep their IP and user agent, and the effect comes out as the hub computed it.

const DOC = 'b8'.repeat(32);
const RECORDING = 'b5'.repeat(32);
const SIGNED = '5a'.repeat(32);
const DSN = 'd5'.repeat(32);
const UA = 'Mozilla/5.0 (Linux; Android 13; Pixel 5)';

const event = (id: string, kind: string, at: string, extra: Partial<MessageView['events'][number]> = {}) => ({
  id,
  kind,
  at,
  blobSha256: null,
  ...extra,
});

function message(id: string, overrides: Partial<MessageView>): MessageView {
  return {
    id,
    sendId: '01a23164-e90f-71d0-836f-357a41b32819',
    taskId: '0190f7a0-0000-7000-8000-0000000000bb',
    channel: 'sms',
    address: '13800000001',
    sender: '106900012368',
    status: 'confirmed',
    failureReason: null,
    subject: null,
    content: '【乌海市海南区人民法院】张三：…',
    documents: [{ title: '民事判决书', kind: 'judgment', sha256: DOC }],
    checkCode: '4749',
    linkExpiresAt: '2026-12-08T11:37:00.000Z',
    createdAt: '2026-12-01T11:37:06.652Z',
    sentAt: '2026-12-01T11:37:06.711Z',
    deliveredAt: null,
    events: [],
    ...overrides,
  };
}

const consent = (
  id: string,
  receivedAt: string,
  deviceAt: string,
  recordingSha256: string | null,
): FactView => ({
  id,
  kind: 'consent',
  authorId: '0190f7a0-0000-7000-8000-000000000001',
  authorName: '张一',
  body: { channel: 'sms', address: '13800000001', ...(recordingSha256 ? { recordingSha256 } : {}) },
  blobSha256: null,
  blobPresent: false,
  deviceAt,
  receivedAt,
  afterReassignment: false,
});

function snapshot(): TaskSnapshot {
  const checked = validateTaskInput({ ...validTaskInput(), sourceTaskId: 'HUB-1' });
  if (!checked.ok) throw new Error('fixture');
  const sms = message('01a23164-e971-770c-8a5f-42c121298ec1', {
    // The carrier's report time (to the second) is the arrival; the hub recorded it a little later.
    deliveredAt: '2026-12-01T11:37:06.000Z',
    events: [
      event('e-sms-sent', 'sent', '2026-12-01T11:37:06.711Z'),
      event('e-sms-delivered', 'delivered', '2026-12-01T11:37:06.787Z'),
      event('e-sms-opened', 'opened', '2026-12-01T11:37:07.867Z', { ip: '203.0.113.9', userAgent: UA }),
      event('e-sms-signed', 'address_signed', '2026-12-01T11:37:08.100Z', {
        ip: '203.0.113.9',
        userAgent: UA,
        blobSha256: SIGNED,
      }),
      event('e-sms-confirmed', 'confirmed', '2026-12-01T11:37:08.865Z', { ip: '203.0.113.9', userAgent: UA }),
    ],
  });
  // Accepted by the mail server, then bounced: the bounce (with its stored DSN) is the last word.
  const mail = message('01a23164-e979-725c-994c-0539d52dd741', {
    channel: 'email',
    address: 'zhangsan@example.test',
    sender: 'songda@court.example',
    status: 'failed',
    failureReason: 'mailbox unavailable',
    sentAt: '2026-12-01T11:37:06.931Z',
    events: [
      event('e-mail-failed', 'failed', '2026-12-01T11:37:06.900Z', { blobSha256: DSN }),
      event('e-mail-delivered', 'delivered', '2026-12-01T11:37:06.931Z'),
    ],
  });
  return {
    id: '0190f7a0-0000-7000-8000-0000000000bb',
    teamId: '0190f7a0-0000-7000-8000-0000000000cc',
    assignee: { id: '0190f7a0-0000-7000-8000-000000000001', name: '张一' },
    status: 'delivered',
    method: 'electronic',
    priority: 'normal',
    deadline: null,
    intake: checked.task,
    attempts: 1,
    lastAttemptAt: '2026-12-01T11:37:00.000Z',
    callbackAt: null,
    completedAfterReassignment: false,
    updatedAt: '2026-12-01T11:37:09.000Z',
    // A consent without a recording first (the desk phone), then the recorded one; device clocks differ.
    facts: [
      consent('f-unrecorded', '2026-12-01T11:36:00.000Z', '2026-12-01T11:36:00.000Z', null),
      consent('f-recorded', '2026-12-01T11:37:06.135Z', '2026-12-01T11:30:00.000Z', RECORDING),
    ],
    messages: [sms, mail],
  };
}

const CONTEXT: ProofContext = {
  proofId: 'DD-20261201-FBEC8E59C7',
  issuedAt: '2026-12-01T11:37:10.000Z',
  hubUrl: 'http://127.0.0.1:56931/',
  specialist: { name: '张一', id: 'spec.a1' },
  callingNumber: '0473-12368',
  audit: { seq: 12, headHash: 'ab'.repeat(32), at: '2026-12-01T11:37:10.000Z' },
};

describe('gatherProofFacts: the facts of a task served through the hub', () => {
  it('cites messages, reports and portal events by the hub’s ids, with its times, IP and user agent', () => {
    const facts = gatherProofFacts(snapshot(), CONTEXT);
    expect(facts.verifyUrl).toBe('http://127.0.0.1:56931/verify/DD-20261201-FBEC8E59C7');
    expect(facts.channels).toEqual([
      {
        channel: 'sms',
        address: '13800000001',
        from: '106900012368',
        sentAt: '2026-12-01T11:37:06.711Z',
        sentRef: '01a23164-e971-770c-8a5f-42c121298ec1',
        report: { outcome: 'arrived', at: '2026-12-01T11:37:06.000Z', ref: 'e-sms-delivered' },
        portalEvents: [
          {
            kind: 'opened',
            at: '2026-12-01T11:37:07.867Z',
            ref: 'e-sms-opened',
            ip: '203.0.113.9',
            userAgent: UA,
          },
          {
            kind: 'confirmed',
            at: '2026-12-01T11:37:08.865Z',
            ref: 'e-sms-confirmed',
            ip: '203.0.113.9',
            userAgent: UA,
          },
        ],
      },
      {
        channel: 'email',
        address: 'zhangsan@example.test',
        from: 'songda@court.example',
        sentAt: '2026-12-01T11:37:06.931Z',
        sentRef: '01a23164-e979-725c-994c-0539d52dd741',
        report: {
          outcome: 'failed',
          at: '2026-12-01T11:37:06.900Z',
          reason: 'mailbox unavailable',
          ref: 'e-mail-failed',
        },
        portalEvents: [],
      },
    ]);
  });

  it('cites what went wrong by the hub’s ids too', () => {
    const facts = gatherProofFacts(snapshot(), CONTEXT);
    expect(facts.negativeEvents).toEqual([
      {
        at: '2026-12-01T11:37:06.931Z',
        what: '电子邮件未送达',
        reason: 'mailbox unavailable',
        ref: '01a23164-e979-725c-994c-0539d52dd741',
      },
    ]);
  });

  it('states the recorded consent at the hub’s time of arrival and the signed address confirmation', () => {
    const facts = gatherProofFacts(snapshot(), CONTEXT);
    expect(facts.consent).toEqual({
      onCall: { consentedAt: '2026-12-01T11:37:06.135Z', recordingSha256: RECORDING, ref: 'f-recorded' },
      addressConfirmation: {
        signedAt: '2026-12-01T11:37:08.100Z',
        documentSha256: SIGNED,
        ref: 'e-sms-signed',
      },
    });
    // Served on the SMS's arrival (consent first), as the carrier reported it.
    expect(computeLegalEffect(effectFactsOf(facts))).toMatchObject({
      rule: 'arrival_on_consent',
      serviceDate: '2026-12-01T11:37:06.000Z',
    });
  });

  it('an older hub’s events without IP and user agent are cited with none', () => {
    const old = snapshot();
    for (const m of old.messages!) m.events = m.events.map(({ ip: _ip, userAgent: _ua, ...rest }) => rest);
    const facts = gatherProofFacts(old, CONTEXT);
    expect(facts.channels[0]!.portalEvents[0]).toMatchObject({ ip: null, userAgent: null });
  });
});
