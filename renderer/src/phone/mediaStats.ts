// The call's media quality, read from the peer connection's statistics (inbound audio RTP and the
// remote side's RTCP reports, or the ICE pair's round trip).

export interface CallStats {
  packetsLost: number;
  packetsReceived: number;
  jitterMs: number;
  roundTripMs: number | null;
}

interface StatLike {
  type: string;
  kind?: string;
  mediaType?: string;
  packetsLost?: number;
  packetsReceived?: number;
  jitter?: number;
  roundTripTime?: number;
  currentRoundTripTime?: number;
  nominated?: boolean;
  state?: string;
}

/** Summarises a getStats() report; null when it holds no inbound audio. */
export function summariseStats(report: Iterable<StatLike>): CallStats | null {
  let inbound: StatLike | undefined;
  let remoteRtt: number | undefined;
  let pairRtt: number | undefined;
  for (const stat of report) {
    const audio = (stat.kind ?? stat.mediaType) === 'audio';
    if (stat.type === 'inbound-rtp' && audio) inbound = stat;
    else if (stat.type === 'remote-inbound-rtp' && audio && stat.roundTripTime !== undefined)
      remoteRtt = stat.roundTripTime;
    else if (stat.type === 'candidate-pair' && stat.nominated && stat.currentRoundTripTime !== undefined)
      pairRtt = stat.currentRoundTripTime;
  }
  if (!inbound) return null;
  const rtt = remoteRtt ?? pairRtt;
  return {
    packetsLost: Math.max(0, Math.round(inbound.packetsLost ?? 0)),
    packetsReceived: Math.max(0, Math.round(inbound.packetsReceived ?? 0)),
    jitterMs: Math.max(0, (inbound.jitter ?? 0) * 1000),
    roundTripMs: rtt === undefined ? null : Math.max(0, rtt * 1000),
  };
}

export async function readCallStats(pc: RTCPeerConnection): Promise<CallStats | null> {
  if (pc.connectionState === 'closed') return null;
  const report = await pc.getStats();
  const stats: StatLike[] = [];
  report.forEach((stat: StatLike) => stats.push(stat));
  return summariseStats(stats);
}
