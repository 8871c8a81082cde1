// A delivered electronic service as the desk would gather it: consent on the recorded call, SMS
// and e-mail sent, the carrier's report, the party verifying, viewing and confirming in the portal.
// Used by the receipts tests and the receipt benchmark (pure data, as intakeFixtures.ts is).
import type { ProofFacts } from './proofFacts';

const hex = (seed: string) => seed.repeat(64 / seed.length);

export const SAMPLE_PROOF_FACTS: ProofFacts = {
  proofId: 'DD-2026-000123-7F3A',
  issuedAt: '2026-11-23T03:20:00Z',
  verifyUrl: 'https://hub.court.example/verify/DD-2026-000123-7F3A',
  court: { name: '内蒙古自治区赤峰市红山区人民法院', department: '集约送达中心' },
  case: { number: '(2024)内0402民初1234号', cause: '民间借贷纠纷' },
  documents: [
    { title: '起诉状副本', kind: 'complaint', copies: 1, sha256: hex('3f2a9c0d1e4b5a69') },
    { title: '应诉通知书', kind: 'notice', copies: 1, sha256: hex('8b1e77c2') },
    { title: '举证通知书', kind: 'evidence_notice', copies: 1, sha256: hex('0c4d') },
    { title: '传票', kind: 'summons', copies: 2, sha256: hex('e5f60718293a4b5c') },
    { title: '民事判决书', kind: 'judgment', copies: 1, sha256: hex('9d') },
  ],
  recipient: { name: '张三丰', role: '被告', kind: 'person' },
  receivedBy: null,
  method: 'electronic',
  consent: {
    onCall: {
      consentedAt: '2026-11-23T10:05:12+08:00',
      recordingSha256: hex('a1b2c3d4'),
      ref: 'audit#41 call.consented',
    },
    addressConfirmation: {
      signedAt: '2026-11-23T02:31:40Z',
      documentSha256: hex('b7'),
      ref: 'audit#52 address.confirmed',
    },
  },
  channels: [
    {
      channel: 'sms',
      address: '13812345678',
      from: '106900012368',
      sentAt: '2026-11-23T02:06:00Z',
      sentRef: '01a20627-2b40-7d3a-9b20-5e8f1c2d3a41',
      report: { outcome: 'arrived', at: '2026-11-23T02:06:04Z', ref: 'dlr/7f3a-0001 DELIVRD' },
      portalEvents: [
        {
          kind: 'opened',
          at: '2026-11-23T02:30:10Z',
          ref: 'portal/e/101',
          ip: '223.104.3.17',
          userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)',
        },
        {
          kind: 'verified',
          at: '2026-11-23T02:30:41Z',
          ref: 'portal/e/102',
          ip: '223.104.3.17',
          userAgent: null,
        },
        {
          kind: 'viewed',
          at: '2026-11-23T02:31:05Z',
          ref: 'portal/e/103',
          ip: '223.104.3.17',
          userAgent: null,
        },
        {
          kind: 'confirmed',
          at: '2026-11-23T02:33:00Z',
          ref: 'portal/e/106',
          ip: '223.104.3.17',
          userAgent: null,
        },
      ],
    },
    {
      channel: 'email',
      address: 'zhangsanfeng@example.cn',
      from: 'songda@court.example',
      sentAt: '2026-11-23T02:06:01Z',
      sentRef: '01a20627-2b40-7d3a-9b20-5e8f1c2d3a42',
      report: { outcome: 'arrived', at: '2026-11-23T02:06:09Z', ref: 'smtp 250 2.0.0 Ok: queued as 4Xk2' },
      portalEvents: [],
    },
  ],
  specialist: { name: '李送达', id: '8001' },
  callingNumber: '0476-12368',
  refusal: null,
  postal: null,
  negativeEvents: [
    {
      at: '2026-11-22T01:30:00Z',
      what: '电话未接通',
      reason: '无人接听（SIP 480）',
      ref: 'audit#33 call.ended',
    },
  ],
  audit: { seq: 57, headHash: hex('c0ffee00'), at: '2026-11-23T03:19:58Z' },
};
