import type { Invitation } from 'sip.js';
import type { CallEvent } from '../../../common/contract';
import {
  createPhoneAgent,
  type PhoneAccount,
  type PhoneAgent,
  type RegistrationStatus,
} from '../../../renderer/src/phone/phoneAgent';
import { dial, receive, type CallEnd, type CallSession } from '../../../renderer/src/phone/callSession';
import {
  microphoneConstraints,
  startCallRecorder,
  type CallRecorder,
} from '../../../renderer/src/phone/callRecorder';
import { createChunkUploader, type ChunkUploader } from '../../../renderer/src/phone/chunkUploader';

// The desk's phone modules (renderer/src/phone) in a bare page, without the desk around them: the
// peer-level end-to-end test drives them through window.harness. Recording chunks go by HTTP to
// the test's page server instead of to main.

interface HarnessCall {
  events: CallEvent[];
  /** Page clock (ms) of each event, in the same order. */
  eventAt: number[];
  phases: string[];
  end: CallEnd | null;
  chunks: number;
  recordingDone: boolean;
  pcState: string | null;
  codec: string | null;
  /** Page clock (ms) when media connected and when the call ended. */
  mediaAt: number | null;
  endAt: number | null;
}

interface Harness {
  start(account: PhoneAccount): void;
  stop(): Promise<void>;
  statuses(): RegistrationStatus[];
  status(): RegistrationStatus;
  dial(name: string, number: string, ringTimeoutMs: number, extension?: string): void;
  incoming(): string[];
  answer(name: string): Promise<void>;
  hangUp(): Promise<void>;
  call(name: string): HarnessCall | null;
  /** Fires the browser's `online` event, as when the network comes back. */
  goOnline(): void;
  /** Caps the re-registration backoff (ms). */
  setBackoffCap(ms: number): void;
  mute(on: boolean): void;
  hold(on: boolean): Promise<void>;
  dtmf(digits: string): Promise<void>;
}

declare global {
  interface Window {
    harness: Harness;
  }
}

let agent: PhoneAgent | null = null;
const statuses: RegistrationStatus[] = [];
const calls = new Map<string, HarnessCall>();
const ringing: Invitation[] = [];
let active: CallSession | null = null;
let backoffCap = 4000;

function follow(name: string, make: (handlers: Parameters<typeof dial>[3]['handlers']) => CallSession) {
  const record: HarnessCall = {
    events: [],
    eventAt: [],
    phases: [],
    end: null,
    chunks: 0,
    recordingDone: false,
    pcState: null,
    codec: null,
    mediaAt: null,
    endAt: null,
  };
  calls.set(name, record);
  let recorder: CallRecorder | null = null;
  const uploader: ChunkUploader = createChunkUploader({
    send: async (seq, bytes) => {
      const response = await fetch(`/chunks/${name}/${seq}`, {
        method: 'POST',
        body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
      });
      if (!response.ok) throw new Error(`chunk ${seq}: HTTP ${response.status}`);
    },
  });
  const session = make({
    onEvent: (event) => {
      record.events.push(event);
      record.eventAt.push(Date.now());
    },
    onPhase: (phase) => record.phases.push(phase),
    onMedia: (media) => {
      record.mediaAt = Date.now();
      record.pcState = media.peerConnection.connectionState;
      void media.peerConnection.getStats().then((report) => {
        report.forEach((stat: { type: string; mimeType?: string }) => {
          if (stat.type === 'codec' && stat.mimeType?.startsWith('audio/')) record.codec ??= stat.mimeType;
        });
      });
      recorder = startCallRecorder({
        local: media.local,
        remote: media.remote,
        onChunk: (data) => {
          uploader.push(data);
          record.chunks++;
        },
      });
    },
  });
  active = session;
  void session.ended.then(async (end) => {
    record.end = end;
    record.endAt = Date.now();
    const stopping = recorder as CallRecorder | null;
    if (stopping) await stopping.stop();
    await uploader.drain();
    record.recordingDone = true;
    if (active === session) active = null;
  });
  return session;
}

const audio = microphoneConstraints('');

window.harness = {
  start(account) {
    agent = createPhoneAgent({
      account,
      onStatus: (status) => statuses.push(status),
      onInvite: (invitation) => ringing.push(invitation),
      backoff: (attempt) => Math.min(backoffCap, 500 * 2 ** attempt),
    });
    agent.start();
  },
  async stop() {
    await agent?.stop();
  },
  statuses: () => statuses,
  status: () => agent!.status(),
  dial(name, number, ringTimeoutMs, extension) {
    follow(name, (handlers) =>
      dial(agent!.userAgent, agent!.domain, number, { handlers, audio, ringTimeoutMs, extension }),
    );
  },
  incoming: () => ringing.map((invitation) => invitation.remoteIdentity.uri.user ?? ''),
  async answer(name) {
    const invitation = ringing.shift();
    if (!invitation) throw new Error('nothing is ringing');
    const session = follow(name, (handlers) => receive(invitation, { handlers, audio }));
    await session.answer();
  },
  async hangUp() {
    await active?.hangUp();
  },
  call: (name) => calls.get(name) ?? null,
  goOnline: () => window.dispatchEvent(new Event('online')),
  setBackoffCap: (ms) => {
    backoffCap = ms;
  },
  mute: (on) => active?.setMuted(on),
  hold: async (on) => {
    await active?.setHeld(on);
  },
  dtmf: async (digits) => {
    await active?.sendDtmf(digits);
  },
};
