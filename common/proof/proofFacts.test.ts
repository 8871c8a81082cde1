import { describe, expect, it } from 'vitest';
import { computeLegalEffect } from '../domain/legalEffect';
import { SAMPLE_PROOF_FACTS as FACTS } from './sampleProofFacts';
import { effectFactsOf, ProofFactsSchema } from './proofFacts';

describe('ProofFactsSchema', () => {
  it('accepts a delivered service’s facts as they are', () => {
    expect(ProofFactsSchema.parse(FACTS)).toEqual(FACTS);
  });

  it('refuses a proof without documents, a bad hash, an offset-less time or a non-http URL', () => {
    const bad = [
      { ...FACTS, documents: [] },
      { ...FACTS, audit: { ...FACTS.audit, headHash: 'C0FFEE' } },
      { ...FACTS, issuedAt: '2026-11-23T11:20:00' },
      { ...FACTS, verifyUrl: 'javascript:alert(1)' },
      { ...FACTS, proofId: '证据 1' },
    ];
    for (const facts of bad) expect(ProofFactsSchema.safeParse(facts).success).toBe(false);
  });
});

describe('effectFactsOf', () => {
  it('gives the legal-effect rule exactly its facts, without the proof-only fields', () => {
    const effectFacts = effectFactsOf(FACTS);
    expect(effectFacts.channels[0]).not.toHaveProperty('from');
    expect(effectFacts.channels[0]!.portalEvents[0]).toEqual({
      kind: 'opened',
      at: '2026-11-23T02:30:10Z',
      ref: 'portal/e/101',
    });
    expect(computeLegalEffect(effectFacts)).toMatchObject({
      effective: true,
      basis: 'confirmed',
      rule: 'arrival_on_consent',
      serviceDate: '2026-11-23T02:06:04.000Z',
      paperCopyOnRequest: { offered: true, documents: ['民事判决书'] },
    });
  });
});
