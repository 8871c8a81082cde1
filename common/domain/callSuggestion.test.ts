import { describe, expect, it } from 'vitest';
import { suggestDisposition, type EndedCallFacts } from './callSuggestion';

const AT = '2026-11-23T02:00:00.000Z';
const ended = (patch: Partial<EndedCallFacts>): EndedCallFacts => ({
  sipStatus: null,
  ringingAt: null,
  answeredAt: null,
  mediaConnectedAt: null,
  ...patch,
});

describe('suggestDisposition', () => {
  it.each([486, 600])('%i is busy', (sipStatus) => {
    expect(suggestDisposition(ended({ sipStatus, ringingAt: AT }))).toBe('busy');
  });

  it.each([480, 408])('%i is no answer', (sipStatus) => {
    expect(suggestDisposition(ended({ sipStatus, ringingAt: AT }))).toBe('no_answer');
  });

  it('487 after ringing is no answer; 487 before ringing decides nothing', () => {
    expect(suggestDisposition(ended({ sipStatus: 487, ringingAt: AT }))).toBe('no_answer');
    expect(suggestDisposition(ended({ sipStatus: 487 }))).toBeNull();
  });

  it.each([404, 410, 484, 604])('%i is a number that does not exist', (sipStatus) => {
    expect(suggestDisposition(ended({ sipStatus }))).toBe('number_not_exist');
  });

  it('603 decline is a hang-up, not a refusal of consent', () => {
    expect(suggestDisposition(ended({ sipStatus: 603, ringingAt: AT }))).toBe('hung_up');
  });

  it('an answered call with media is left to the specialist, whatever the status', () => {
    expect(
      suggestDisposition(ended({ sipStatus: 200, ringingAt: AT, answeredAt: AT, mediaConnectedAt: AT })),
    ).toBeNull();
    expect(suggestDisposition(ended({ sipStatus: 486, mediaConnectedAt: AT }))).toBeNull();
  });

  it('answered without media is not a connected call and decides nothing', () => {
    expect(suggestDisposition(ended({ sipStatus: 200, ringingAt: AT, answeredAt: AT }))).toBeNull();
  });

  it('no final status, or a server failure, decides nothing', () => {
    expect(suggestDisposition(ended({}))).toBeNull();
    expect(suggestDisposition(ended({ sipStatus: 503 }))).toBeNull();
    expect(suggestDisposition(ended({ sipStatus: 500, ringingAt: AT }))).toBeNull();
  });
});
