// The desk offers Opus for WebRTC peers and G.711 (PCMA, PCMU) for ordinary phones behind a media
// relay that does not transcode, plus telephone-event for RFC 4733 DTMF. Everything else Chromium
// offers (G722, RED, CN, ISAC…) is dropped: fewer codecs, a smaller SDP, no surprise choice.

const WANTED = ['opus', 'pcma', 'pcmu', 'telephone-event'];

/** Rewrites every audio m-section of an SDP to offer only the wanted codecs, in that order. */
export function preferSpeechCodecs(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  let section: string[] = [];
  const flush = () => {
    out.push(...(section[0]?.startsWith('m=audio') ? rewriteAudioSection(section) : section));
    section = [];
  };
  for (const line of lines) {
    if (line.startsWith('m=')) flush();
    section.push(line);
  }
  flush();
  return out.join(eol);
}

function rewriteAudioSection(section: string[]): string[] {
  const [mLine, ...rest] = section;
  const parts = mLine!.split(' ');
  const offered = parts.slice(3);
  const codecOf = new Map<string, string>();
  for (const line of rest) {
    const match = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
    if (match) codecOf.set(match[1]!, match[2]!.toLowerCase());
  }
  const kept = offered
    .filter((pt) => WANTED.includes(codecOf.get(pt) ?? staticCodec(pt)))
    .sort((a, b) => rank(codecOf.get(a) ?? staticCodec(a)) - rank(codecOf.get(b) ?? staticCodec(b)));
  // Nothing we want on offer (an odd peer): leave its SDP alone rather than break the call.
  if (kept.length === 0) return section;
  const keep = new Set(kept);
  const body = rest.filter((line) => {
    const match = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)[ ]/.exec(line);
    return !match || keep.has(match[1]!);
  });
  return [[...parts.slice(0, 3), ...kept].join(' '), ...body];
}

function rank(codec: string): number {
  return WANTED.indexOf(codec);
}

/** RFC 3551 static payload types may come without an rtpmap line. */
function staticCodec(pt: string): string {
  return pt === '0' ? 'pcmu' : pt === '8' ? 'pcma' : '';
}

/** The codecs an SDP's first audio section offers, in order (lower case). */
export function audioCodecsOf(sdp: string): string[] {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('m=audio'));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('m='));
  const section = lines.slice(start, end < 0 ? undefined : end);
  const codecOf = new Map<string, string>();
  for (const line of section) {
    const match = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
    if (match) codecOf.set(match[1]!, match[2]!.toLowerCase());
  }
  return section[0]!
    .split(' ')
    .slice(3)
    .map((pt) => codecOf.get(pt) ?? staticCodec(pt));
}
