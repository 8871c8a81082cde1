import { describe, expect, it } from 'vitest';
import { audioCodecsOf, preferSpeechCodecs } from './sdpCodecs';

// An audio offer as Chromium writes it (trimmed to the lines that matter).
const CHROMIUM_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1 cname:x',
  '',
].join('\r\n');

describe('preferSpeechCodecs', () => {
  it('offers Opus, then PCMA and PCMU, and telephone-event, and drops the rest with their lines', () => {
    const sdp = preferSpeechCodecs(CHROMIUM_OFFER);
    expect(sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 111 8 0 110 126\r\n');
    expect(audioCodecsOf(sdp)).toEqual(['opus', 'pcma', 'pcmu', 'telephone-event', 'telephone-event']);
    expect(sdp).not.toMatch(/G722|red\/|CN\/|a=fmtp:63/);
    expect(sdp).toContain('a=fmtp:111 minptime=10;useinbandfec=1');
    expect(sdp).toContain('a=rtcp-fb:111 transport-cc');
    expect(sdp).toContain('a=ssrc:1 cname:x');
    expect(sdp.endsWith('\r\n')).toBe(true);
  });

  it('keeps static G.711 payload types without rtpmap lines (a plain SIP phone’s answer)', () => {
    const answer = ['v=0', 'm=audio 4000 RTP/AVP 8 18 101', 'a=rtpmap:101 telephone-event/8000', ''].join(
      '\n',
    );
    expect(preferSpeechCodecs(answer)).toContain('m=audio 4000 RTP/AVP 8 101\n');
  });

  it('leaves an SDP alone when none of its codecs is wanted', () => {
    const odd = ['v=0', 'm=audio 4000 RTP/AVP 18', 'a=rtpmap:18 G729/8000', ''].join('\r\n');
    expect(preferSpeechCodecs(odd)).toBe(odd);
  });
});
