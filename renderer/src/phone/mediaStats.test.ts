import { describe, expect, it } from 'vitest';
import { summariseStats } from './mediaStats';
import { backoffDelayMs } from './backoff';

describe('summariseStats', () => {
  it('takes loss and jitter from inbound audio and the round trip from the remote RTCP report', () => {
    const stats = summariseStats([
      { type: 'inbound-rtp', kind: 'audio', packetsLost: 3, packetsReceived: 497, jitter: 0.0042 },
      { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.0012 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.5 },
    ]);
    expect(stats).toEqual({ packetsLost: 3, packetsReceived: 497, jitterMs: 4.2, roundTripMs: 1.2 });
  });

  it('falls back to the ICE pair’s round trip, and answers null without inbound audio', () => {
    expect(
      summariseStats([
        { type: 'inbound-rtp', kind: 'audio', packetsLost: -1, packetsReceived: 10 },
        { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.002 },
      ]),
    ).toEqual({ packetsLost: 0, packetsReceived: 10, jitterMs: 0, roundTripMs: 2 });
    expect(summariseStats([{ type: 'outbound-rtp', kind: 'audio' }])).toBeNull();
  });
});

describe('backoffDelayMs', () => {
  it('doubles from a second and stops at thirty', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => backoffDelayMs(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});
