import {
  Inviter,
  SessionState,
  UserAgent,
  Web,
  type Invitation,
  type Session,
  type SessionDescriptionHandlerModifier,
} from 'sip.js';
import type { CallEvent } from '../../../common/contract';
import { preferSpeechCodecs } from './sdpCodecs';
import { readCallStats, type CallStats } from './mediaStats';

// One call, outbound (Inviter) or inbound (Invitation), as the desk sees it: its phases, its
// contract call events in order, and the controls. A call is "connected" only when the peer
// connection is: SIP's 200/ACK can come long before media, and without ICE media never comes.

export type CallPhase = 'dialling' | 'ringing' | 'answered' | 'connected' | 'ended';
export type HungUpBy = 'local' | 'remote' | 'system';

export interface CallEnd {
  sipStatus: number | null;
  reason: string;
  hungUpBy: HungUpBy;
  stats: CallStats | null;
}

export interface CallMedia {
  local: MediaStream;
  remote: MediaStream;
  peerConnection: RTCPeerConnection;
}

export interface CallHandlers {
  onEvent(event: CallEvent): void;
  onPhase(phase: CallPhase): void;
  /** Media flows: the recorder and the speaker can start. */
  onMedia?(media: CallMedia): void;
}

export interface CallOptions {
  handlers: CallHandlers;
  /** The microphone, with the evidence path's constraints (no automatic gain). */
  audio: MediaTrackConstraints;
  /** An unanswered outbound call is cancelled after this long. */
  ringTimeoutMs?: number;
  /** An answered call whose media does not connect in this long is hung up. */
  mediaTimeoutMs?: number;
  /** Sent as DTMF once media is connected (an extension behind a switchboard). */
  extension?: string | null;
}

export interface CallSession {
  readonly direction: 'outbound' | 'inbound';
  readonly sipCallId: string;
  /** The other side's number (dialled, or the caller's). */
  readonly remoteNumber: string;
  phase(): CallPhase;
  muted(): boolean;
  held(): boolean;
  /** Resolves once, when the call has ended, with how it ended. */
  readonly ended: Promise<CallEnd>;
  answer(): Promise<void>;
  decline(statusCode?: 486 | 603): Promise<void>;
  hangUp(): Promise<void>;
  setMuted(muted: boolean): void;
  setHeld(held: boolean): Promise<void>;
  sendDtmf(digits: string): Promise<void>;
}

const DEFAULT_RING_TIMEOUT_MS = 45_000;
const DEFAULT_MEDIA_TIMEOUT_MS = 15_000;
const STATS_EVERY_MS = 2000;

const codecModifier: SessionDescriptionHandlerModifier = (description) =>
  Promise.resolve({ ...description, sdp: description.sdp ? preferSpeechCodecs(description.sdp) : '' });

/** Dials `number` at the account's domain. */
export function dial(
  userAgent: UserAgent,
  domain: string,
  number: string,
  options: CallOptions,
): CallSession {
  const target = UserAgent.makeURI(`sip:${number}@${domain}`);
  if (!target) throw new Error(`cannot dial ${number}`);
  const inviter = new Inviter(userAgent, target, {
    sessionDescriptionHandlerOptions: { constraints: { audio: options.audio, video: false } },
    sessionDescriptionHandlerModifiers: [codecModifier],
  });
  return track(inviter, 'outbound', number, options);
}

/** Takes an incoming call; it rings (180) until answered or declined. */
export function receive(invitation: Invitation, options: CallOptions): CallSession {
  const caller = invitation.remoteIdentity.uri.user ?? '';
  return track(invitation, 'inbound', caller, options);
}

function isInviter(session: Session): session is Inviter {
  return session instanceof Inviter;
}

function track(
  session: Inviter | Invitation,
  direction: 'outbound' | 'inbound',
  remoteNumber: string,
  options: CallOptions,
): CallSession {
  const { handlers } = options;
  let phase: CallPhase = 'dialling';
  let muted = false;
  let held = false;
  let finalStatus: number | null = null;
  let finalReason: string | null = null;
  let hungUpBy: HungUpBy | null = null;
  let lastStats: CallStats | null = null;
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  let ringTimer: ReturnType<typeof setTimeout> | undefined;
  let mediaTimer: ReturnType<typeof setTimeout> | undefined;
  let resolveEnded!: (end: CallEnd) => void;
  const ended = new Promise<CallEnd>((resolve) => (resolveEnded = resolve));
  const sentRinging = new Set<number>();

  const setPhase = (next: CallPhase) => {
    if (phase === next || phase === 'ended') return;
    phase = next;
    handlers.onPhase(next);
  };
  const emit = (event: CallEvent) => handlers.onEvent(event);

  const sdh = (): Web.SessionDescriptionHandler | undefined =>
    session.sessionDescriptionHandler instanceof Web.SessionDescriptionHandler
      ? session.sessionDescriptionHandler
      : undefined;

  const sampleStats = async () => {
    const pc = sdh()?.peerConnection;
    if (!pc) return;
    const stats = await readCallStats(pc).catch(() => null);
    if (stats) lastStats = stats;
  };

  const onPeerConnection = (pc: RTCPeerConnection) => {
    const check = () => {
      if (pc.connectionState !== 'connected' || phase === 'connected' || phase === 'ended') return;
      clearTimeout(mediaTimer);
      setPhase('connected');
      emit({ type: 'media_connected' });
      statsTimer = setInterval(() => void sampleStats(), STATS_EVERY_MS);
      const handler = sdh();
      if (handler) {
        handlers.onMedia?.({
          local: handler.localMediaStream,
          remote: handler.remoteMediaStream,
          peerConnection: pc,
        });
      }
      const extension = options.extension;
      if (extension) setTimeout(() => void controls.sendDtmf(extension).catch(() => undefined), 500);
    };
    pc.addEventListener('connectionstatechange', check);
    check();
  };

  session.delegate = {
    onSessionDescriptionHandler: (handler) => {
      if (!(handler instanceof Web.SessionDescriptionHandler)) return;
      const pc = handler.peerConnection;
      if (pc) onPeerConnection(pc);
    },
    onBye: () => {
      hungUpBy ??= 'remote';
      finalReason ??= 'remote hangup';
    },
    onCancel: () => {
      hungUpBy ??= 'remote';
      finalStatus ??= 487;
      finalReason ??= 'caller cancelled';
    },
  };

  session.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      clearTimeout(ringTimer);
      if (phase !== 'connected') setPhase('answered');
      emit({ type: 'answered' });
      finalStatus = 200;
      mediaTimer = setTimeout(() => {
        if (phase !== 'answered') return;
        hungUpBy = 'system';
        finalReason = 'media did not connect';
        void session.bye().catch(() => undefined);
      }, options.mediaTimeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS);
    } else if (state === SessionState.Terminated) {
      void finish();
    }
  });

  const finish = async () => {
    if (phase === 'ended') return;
    clearTimeout(ringTimer);
    clearTimeout(mediaTimer);
    clearInterval(statsTimer);
    await sampleStats();
    setPhase('ended');
    const end: CallEnd = {
      sipStatus: finalStatus,
      reason: finalReason ?? (finalStatus === 200 ? 'hangup' : 'ended'),
      hungUpBy: hungUpBy ?? 'system',
      stats: lastStats,
    };
    emit({
      type: 'ended',
      sipStatus: end.sipStatus,
      reason: end.reason.slice(0, 200),
      hungUpBy: end.hungUpBy,
      stats: end.stats,
    });
    resolveEnded(end);
  };

  const controls: CallSession = {
    direction,
    sipCallId: session.request.callId,
    remoteNumber,
    phase: () => phase,
    muted: () => muted,
    held: () => held,
    ended,
    async answer() {
      if (isInviter(session) || session.state !== SessionState.Initial) return;
      await session.accept({
        sessionDescriptionHandlerOptions: { constraints: { audio: options.audio, video: false } },
        sessionDescriptionHandlerModifiers: [codecModifier],
      });
    },
    async decline(statusCode = 603) {
      if (isInviter(session) || session.state !== SessionState.Initial) return;
      hungUpBy = 'local';
      finalStatus = statusCode;
      finalReason = statusCode === 486 ? 'Busy Here' : 'Decline';
      await session.reject({ statusCode });
    },
    async hangUp() {
      hungUpBy ??= 'local';
      switch (session.state) {
        case SessionState.Initial:
        case SessionState.Establishing:
          if (isInviter(session)) {
            finalStatus ??= 487;
            finalReason ??= 'cancelled';
            await session.cancel();
          } else {
            finalStatus ??= 603;
            finalReason ??= 'Decline';
            await session.reject({ statusCode: 603 });
          }
          return;
        case SessionState.Established:
          finalReason ??= 'local hangup';
          await sampleStats();
          await session.bye();
          return;
        default:
          return;
      }
    },
    setMuted(next) {
      const handler = sdh();
      if (!handler || muted === next) return;
      handler.enableSenderTracks(!next);
      muted = next;
      emit({ type: next ? 'muted' : 'unmuted' });
    },
    async setHeld(next) {
      if (held === next || session.state !== SessionState.Established) return;
      await new Promise<void>((resolve, reject) => {
        session
          .invite({
            sessionDescriptionHandlerOptions: {
              hold: next,
              constraints: { audio: options.audio, video: false },
            } as Web.SessionDescriptionHandlerOptions,
            sessionDescriptionHandlerModifiers: [codecModifier],
            requestDelegate: {
              onAccept: () => resolve(),
              onReject: (response) =>
                reject(new Error(`${response.message.statusCode} ${response.message.reasonPhrase}`)),
            },
          })
          .catch(reject);
      });
      held = next;
      // While held the microphone stays closed whatever the mute button says.
      sdh()?.enableSenderTracks(!next && !muted);
      emit({ type: next ? 'held' : 'resumed' });
    },
    async sendDtmf(digits) {
      if (!/^[0-9*#A-D]{1,20}$/.test(digits) || session.state !== SessionState.Established) return;
      // RFC 4733 in the media when the peer negotiated telephone-event; SIP INFO otherwise.
      const inMedia = sdh()?.sendDtmf(digits, { duration: 120, interToneGap: 80 }) ?? false;
      if (!inMedia) {
        for (const tone of digits) {
          await session.info({
            requestOptions: {
              body: {
                contentDisposition: 'render',
                contentType: 'application/dtmf-relay',
                content: `Signal=${tone}\r\nDuration=120`,
              },
            },
          });
        }
      }
      emit({ type: 'dtmf', digits });
    },
  };

  if (isInviter(session)) {
    emit({ type: 'invite', sipCallId: session.request.callId, dialled: remoteNumber.slice(0, 40) });
    ringTimer = setTimeout(() => {
      hungUpBy = 'system';
      finalStatus = 487;
      finalReason = 'no answer';
      void session.cancel().catch(() => undefined);
    }, options.ringTimeoutMs ?? DEFAULT_RING_TIMEOUT_MS);
    session
      .invite({
        requestDelegate: {
          onProgress: (response) => {
            const code = response.message.statusCode ?? 0;
            if (code < 180 || code > 199 || sentRinging.has(code)) return;
            sentRinging.add(code);
            setPhase('ringing');
            emit({ type: 'ringing', sipStatus: code });
          },
          onReject: (response) => {
            finalStatus = response.message.statusCode ?? null;
            // After our own CANCEL the 487 keeps the reason we gave (no answer, cancelled).
            finalReason ??= response.message.reasonPhrase || `SIP ${finalStatus}`;
            hungUpBy ??= 'remote';
          },
        },
      })
      .catch((error: unknown) => {
        finalReason = error instanceof Error ? error.message : String(error);
        hungUpBy = 'system';
        void finish();
      });
  } else {
    emit({ type: 'invite', sipCallId: session.request.callId, dialled: remoteNumber.slice(0, 40) });
    setPhase('ringing');
    void session
      .progress()
      .then(() => emit({ type: 'ringing', sipStatus: 180 }))
      .catch(() => undefined);
  }

  return controls;
}
