import { describe, expect, it } from 'vitest';
import {
  computeLegalEffect,
  mayAskForPaperCopy,
  type ChannelService,
  type LegalEffectFacts,
} from './legalEffect';

const REC = 'a'.repeat(64);
const CONF = 'b'.repeat(64);
const CONSENT_AT = '2026-11-23T10:05:00+08:00'; // 02:05Z

const onCall = { consentedAt: CONSENT_AT, recordingSha256: REC, ref: 'audit:41' };
const signed = { signedAt: '2026-11-23T02:30:00Z', documentSha256: CONF, ref: 'audit:50' };

const sms = (patch: Partial<ChannelService> = {}): ChannelService => ({
  channel: 'sms',
  address: '13812345678',
  sentAt: '2026-11-23T02:10:00Z',
  sentRef: 'msg:sms-1',
  report: { outcome: 'arrived', at: '2026-11-23T02:10:07Z', ref: 'dlr:1' },
  portalEvents: [],
  ...patch,
});
const email = (patch: Partial<ChannelService> = {}): ChannelService => ({
  channel: 'email',
  address: 'zhang@example.cn',
  sentAt: '2026-11-23T02:10:00Z',
  sentRef: 'msg:mail-1',
  report: { outcome: 'arrived', at: '2026-11-23T02:10:02Z', ref: 'smtp:250-1' },
  portalEvents: [],
  ...patch,
});
const facts = (patch: Partial<LegalEffectFacts> = {}): LegalEffectFacts => ({
  consent: { onCall, addressConfirmation: null },
  channels: [sms()],
  documents: [{ title: '应诉通知书', kind: 'notice' }],
  ...patch,
});
const noConsent = { onCall: null, addressConfirmation: null };
const ev = (kind: string, at: string, ref = `portal:${kind}`) => ({ kind, at, ref }) as never;

describe('computeLegalEffect: address confirmed by the party (consent on record)', () => {
  it('is effective on arrival, confirmed, on the consent, the send and the carrier report', () => {
    const effect = computeLegalEffect(facts());
    expect(effect).toMatchObject({
      effective: true,
      basis: 'confirmed',
      rule: 'arrival_on_consent',
      serviceDate: '2026-11-23T02:10:07.000Z',
    });
    expect(effect.facts.map((f) => [f.kind, f.ref])).toEqual([
      ['consent_on_call', 'audit:41'],
      ['sent', 'msg:sms-1'],
      ['arrival', 'dlr:1'],
    ]);
    expect(effect.facts[0]).toMatchObject({ at: '2026-11-23T02:05:00.000Z', detail: REC });
  });

  it('takes the earliest arrival across channels, whatever their order', () => {
    const both = facts({ channels: [sms(), email()] });
    const expected = {
      rule: 'arrival_on_consent',
      serviceDate: '2026-11-23T02:10:02.000Z',
    };
    expect(computeLegalEffect(both)).toMatchObject(expected);
    const reversed = computeLegalEffect({ ...both, channels: [email(), sms()] });
    expect(reversed).toMatchObject(expected);
    expect(reversed.facts).toEqual(computeLegalEffect(both).facts);
    expect(reversed.facts.find((f) => f.kind === 'arrival')).toMatchObject({
      channel: 'email',
      ref: 'smtp:250-1',
    });
  });

  it('a signed address confirmation is consent too, and the earlier consent is cited', () => {
    const confirmationOnly = computeLegalEffect(
      facts({
        consent: { onCall: null, addressConfirmation: signed },
        channels: [sms({ sentAt: '2026-11-23T02:31:00Z', report: arrivedAt('02:31:05') })],
      }),
    );
    expect(confirmationOnly).toMatchObject({ rule: 'arrival_on_consent', basis: 'confirmed' });
    expect(confirmationOnly.facts[0]).toMatchObject({ kind: 'address_confirmation', detail: CONF });

    const both = computeLegalEffect(facts({ consent: { onCall, addressConfirmation: signed } }));
    expect(both.facts[0]).toMatchObject({ kind: 'consent_on_call', ref: 'audit:41' });
  });

  it('an undelivered SMS does not count; the e-mail that arrived does', () => {
    const effect = computeLegalEffect(
      facts({
        channels: [
          sms({ report: { outcome: 'failed', at: '2026-11-23T02:10:09Z', reason: 'UNDELIV', ref: 'dlr:2' } }),
          email({ report: arrivedAt('02:20:00', 'smtp:250-9') }),
        ],
      }),
    );
    expect(effect).toMatchObject({ rule: 'arrival_on_consent', serviceDate: '2026-11-23T02:20:00.000Z' });
  });

  it('every channel failed: not effective, undelivered, with each failure reason', () => {
    const effect = computeLegalEffect(
      facts({
        channels: [
          sms({ report: { outcome: 'failed', at: '2026-11-23T02:10:09Z', reason: 'UNDELIV', ref: 'dlr:2' } }),
          email({
            report: {
              outcome: 'failed',
              at: '2026-11-23T02:10:03Z',
              reason: '550 no such user',
              ref: 'smtp:550',
            },
          }),
        ],
      }),
    );
    expect(effect).toMatchObject({ effective: false, basis: 'none', rule: 'undelivered', serviceDate: null });
    expect(effect.facts.filter((f) => f.kind === 'failure').map((f) => f.detail)).toEqual([
      '550 no such user',
      'UNDELIV',
    ]);
  });

  it('an e-mail bounced after acceptance (the DSN is its report): no effect; a later confirmation still is', () => {
    // The hub gives the latest word on arrival: the DSN's failure, not the server's earlier 250.
    const bounced = email({
      report: {
        outcome: 'failed',
        at: '2026-11-23T02:40:00Z',
        reason: '5.1.1 550 user unknown',
        ref: 'dsn:1',
      },
    });
    const effect = computeLegalEffect(facts({ channels: [bounced] }));
    expect(effect).toMatchObject({ effective: false, rule: 'undelivered', serviceDate: null });
    expect(effect.facts.map((f) => [f.kind, f.ref])).toEqual([
      ['consent_on_call', 'audit:41'],
      ['sent', 'msg:mail-1'],
      ['failure', 'dsn:1'],
    ]);
    const confirmed = email({ ...bounced, portalEvents: [ev('confirmed', '2026-11-23T03:00:00Z')] });
    expect(computeLegalEffect(facts({ channels: [confirmed] }))).toMatchObject({
      effective: true,
      rule: 'reply_or_confirm',
      serviceDate: '2026-11-23T03:00:00.000Z',
    });
  });

  it('sent, no report yet: awaiting arrival', () => {
    const effect = computeLegalEffect(facts({ channels: [sms({ report: null })] }));
    expect(effect).toMatchObject({ effective: false, rule: 'awaiting_arrival', serviceDate: null });
    expect(effect.facts.map((f) => f.kind)).toEqual(['consent_on_call', 'sent']);
  });

  it('a message sent before the consent does not take effect on arrival', () => {
    const early = sms({ sentAt: '2026-11-23T01:50:00Z', report: arrivedAt('01:50:04') });
    const effect = computeLegalEffect(facts({ channels: [early] }));
    expect(effect).toMatchObject({ effective: false, basis: 'none', rule: 'sent_before_consent' });
    expect(effect.facts.map((f) => f.kind)).toEqual(['sent', 'consent_on_call']);
  });

  it('sent before consent, but the party confirmed afterwards: effective on the reply', () => {
    const early = sms({
      sentAt: '2026-11-23T01:50:00Z',
      report: arrivedAt('01:50:04'),
      portalEvents: [ev('opened', '2026-11-23T02:40:00Z'), ev('confirmed', '2026-11-23T02:42:00Z')],
    });
    expect(computeLegalEffect(facts({ channels: [early] }))).toMatchObject({
      effective: true,
      basis: 'confirmed',
      rule: 'reply_or_confirm',
      serviceDate: '2026-11-23T02:42:00.000Z',
    });
  });

  it('a resend after consent takes effect on its arrival though the first was sent before', () => {
    const effect = computeLegalEffect(
      facts({
        channels: [
          sms({ sentAt: '2026-11-23T01:50:00Z', report: arrivedAt('01:50:04') }),
          sms({
            sentAt: '2026-11-23T02:06:00Z',
            sentRef: 'msg:sms-2',
            report: arrivedAt('02:06:03', 'dlr:9'),
          }),
        ],
      }),
    );
    expect(effect).toMatchObject({ rule: 'arrival_on_consent', serviceDate: '2026-11-23T02:06:03.000Z' });
    expect(effect.facts.find((f) => f.kind === 'sent')?.ref).toBe('msg:sms-2');
  });
});

describe('computeLegalEffect: address found by the center (no consent on record)', () => {
  const found = (channels: ChannelService[]) => facts({ consent: noConsent, channels });

  it('arrival alone is not effect: awaiting the party’s reply', () => {
    const effect = computeLegalEffect(found([sms()]));
    expect(effect).toMatchObject({
      effective: false,
      basis: 'none',
      rule: 'awaiting_reply',
      serviceDate: null,
    });
    expect(effect.facts.map((f) => f.kind)).toEqual(['sent']);
  });

  it('opening the link alone is not a read', () => {
    const effect = computeLegalEffect(found([sms({ portalEvents: [ev('opened', '2026-11-23T03:00:00Z')] })]));
    expect(effect).toMatchObject({ effective: false, rule: 'awaiting_reply' });
  });

  it('opened and verified: presumed served on the read, marked presumed', () => {
    const effect = computeLegalEffect(
      found([
        sms({
          portalEvents: [
            ev('verified', '2026-11-23T03:01:00Z'),
            ev('opened', '2026-11-23T03:00:00Z'),
            ev('viewed', '2026-11-23T03:02:00Z'),
          ],
        }),
      ]),
    );
    expect(effect).toMatchObject({
      effective: true,
      basis: 'presumed',
      rule: 'presumed_on_read',
      serviceDate: '2026-11-23T03:01:00.000Z',
    });
    expect(effect.facts.map((f) => [f.kind, f.detail])).toEqual([
      ['sent', '13812345678'],
      ['portal_event', 'opened'],
      ['portal_event', 'verified'],
    ]);
  });

  it('a reply (confirmed or signed) is confirmed effect on the earliest reply across channels', () => {
    const effect = computeLegalEffect(
      found([
        sms({
          portalEvents: [
            ev('verified', '2026-11-23T03:01:00Z'),
            ev('confirmed', '2026-11-23T03:09:00Z', 'p:sms'),
          ],
        }),
        email({ portalEvents: [ev('signed', '2026-11-23T03:05:00Z', 'p:mail')] }),
      ]),
    );
    expect(effect).toMatchObject({
      effective: true,
      basis: 'confirmed',
      rule: 'reply_or_confirm',
      serviceDate: '2026-11-23T03:05:00.000Z',
    });
    expect(effect.facts.at(-1)).toMatchObject({ ref: 'p:mail', channel: 'email', detail: 'signed' });
  });

  it('every channel failed: undelivered; one failed and one pending: still awaiting the reply', () => {
    const failed = sms({
      report: { outcome: 'failed', at: '2026-11-23T02:10:09Z', reason: 'UNDELIV', ref: 'dlr:2' },
    });
    expect(computeLegalEffect(found([failed]))).toMatchObject({ effective: false, rule: 'undelivered' });
    const mixed = computeLegalEffect(found([failed, email({ report: null })]));
    expect(mixed).toMatchObject({ effective: false, rule: 'awaiting_reply' });
    expect(mixed.facts.map((f) => f.ref)).toEqual(['msg:mail-1']);
  });

  it('nothing sent: not effective, not sent', () => {
    expect(computeLegalEffect(facts({ consent: noConsent, channels: [] }))).toMatchObject({
      effective: false,
      basis: 'none',
      rule: 'not_sent',
      serviceDate: null,
      facts: [],
    });
  });

  it('with consent and no arrival report, a verified read is presumed effect', () => {
    const effect = computeLegalEffect(
      facts({ channels: [sms({ report: null, portalEvents: [ev('verified', '2026-11-23T02:30:00Z')] })] }),
    );
    expect(effect).toMatchObject({ basis: 'presumed', rule: 'presumed_on_read' });
    expect(effect.facts[0]).toMatchObject({ kind: 'consent_on_call' });
  });
});

describe('paper copies on request', () => {
  it('offers judgments, rulings and mediation statements, by kind or by title', () => {
    const effect = computeLegalEffect(
      facts({
        documents: [
          { title: '应诉通知书', kind: 'notice' },
          { title: '民事判决书', kind: 'judgment' },
          { title: '民事裁定书', kind: '' },
          { title: '调解书', kind: 'other' },
          { title: 'Settlement', kind: 'mediation_statement' },
          { title: '传票', kind: 'summons' },
        ],
      }),
    );
    expect(effect.paperCopyOnRequest).toEqual({
      offered: true,
      documents: ['民事判决书', '民事裁定书', '调解书', 'Settlement'],
    });
  });

  it('offers none for notices and summonses', () => {
    expect(computeLegalEffect(facts()).paperCopyOnRequest).toEqual({ offered: false, documents: [] });
    expect(mayAskForPaperCopy({ title: '举证通知书', kind: 'evidence_notice' })).toBe(false);
  });
});

describe('input validation', () => {
  it('refuses facts that are not facts: offset-less times, bad hashes, unknown events', () => {
    expect(() =>
      computeLegalEffect(
        facts({
          consent: { onCall: { ...onCall, consentedAt: '2026-11-23 10:05' }, addressConfirmation: null },
        }),
      ),
    ).toThrow(/consent/);
    expect(() =>
      computeLegalEffect(
        facts({ consent: { onCall: { ...onCall, recordingSha256: 'xyz' }, addressConfirmation: null } }),
      ),
    ).toThrow(/SHA-256/);
    expect(() =>
      computeLegalEffect(facts({ channels: [sms({ portalEvents: [ev('liked', CONSENT_AT)] })] })),
    ).toThrow();
  });
});

function arrivedAt(hms: string, ref = 'dlr:x') {
  return { outcome: 'arrived' as const, at: `2026-11-23T${hms}Z`, ref };
}
