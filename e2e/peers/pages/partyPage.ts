import {
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Invitation,
  type Session,
} from 'sip.js';

// The party simulator's page: a bare sip.js user agent (no desk code) registered as the party's
// number. Its microphone is Chromium's fake capture playing the party's espeak sentence. The test
// drives it through window.party.

/**
 * answer: rings briefly, answers and speaks; busy: 486; decline: 603; no_answer: rings until the
 * caller gives up; unavailable: rings, then 480 as a PBX does when its own no-answer timer ends.
 */
export type PartyScenario = 'answer' | 'busy' | 'decline' | 'no_answer' | 'unavailable';

interface PartyLogEntry {
  at: number;
  what: string;
  code?: number;
}

interface PartyApi {
  start(wsServer: string, aor: string): Promise<void>;
  setScenario(scenario: PartyScenario, hangUpAfterMs?: number): void;
  call(number: string): Promise<void>;
  hangUp(): Promise<void>;
  registered(): boolean;
  log(): PartyLogEntry[];
  callState(): string;
  /** The current call's negotiated media direction (sendrecv, recvonly while held by the desk…). */
  mediaDirection(): string | null;
}

declare global {
  interface Window {
    party: PartyApi;
  }
}

let userAgent: UserAgent | null = null;
let registerer: Registerer | null = null;
let scenario: PartyScenario = 'answer';
let hangUpAfterMs = 0;
let current: Session | null = null;
const entries: PartyLogEntry[] = [];
const speaker = document.createElement('audio');
speaker.autoplay = true;
document.body.append(speaker);

const log = (what: string, code?: number) => entries.push({ at: Date.now(), what, code });

function attachMedia(session: Session) {
  session.stateChange.addListener((state) => {
    log(`state:${state}`);
    if (state === SessionState.Established) {
      const sdh = session.sessionDescriptionHandler as unknown as { remoteMediaStream: MediaStream };
      speaker.srcObject = sdh.remoteMediaStream;
      const pc = (session.sessionDescriptionHandler as unknown as { peerConnection: RTCPeerConnection })
        .peerConnection;
      const report = () => log(`pc:${pc.connectionState}`);
      pc.addEventListener('connectionstatechange', report);
      report();
      if (hangUpAfterMs > 0)
        setTimeout(() => {
          if (session.state === SessionState.Established) void session.bye();
        }, hangUpAfterMs);
    }
    if (state === SessionState.Terminated && current === session) current = null;
  });
}

function onInvite(invitation: Invitation) {
  log('invite');
  current = invitation;
  attachMedia(invitation);
  invitation.delegate = { onCancel: () => log('cancelled'), onBye: () => log('bye') };
  switch (scenario) {
    case 'answer':
      void invitation.progress().then(() =>
        setTimeout(
          () =>
            void invitation.accept({
              sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
            }),
          300,
        ),
      );
      return;
    case 'busy':
      void invitation.reject({ statusCode: 486 });
      log('rejected', 486);
      return;
    case 'decline':
      void invitation.reject({ statusCode: 603 });
      log('rejected', 603);
      return;
    case 'no_answer':
      void invitation.progress();
      return;
    case 'unavailable':
      void invitation.progress().then(() =>
        setTimeout(() => {
          if (invitation.state !== SessionState.Initial) return;
          void invitation.reject({ statusCode: 480 });
          log('rejected', 480);
        }, 1500),
      );
      return;
  }
}

window.party = {
  async start(wsServer, aor) {
    userAgent = new UserAgent({
      uri: UserAgent.makeURI(aor),
      transportOptions: { server: wsServer },
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: [] },
        iceGatheringTimeout: 2000,
      },
      logBuiltinEnabled: false,
      delegate: { onInvite },
    });
    await userAgent.start();
    registerer = new Registerer(userAgent, { expires: 300 });
    await new Promise<void>((resolve, reject) => {
      registerer!.stateChange.addListener((state) => {
        if (state === RegistererState.Registered) resolve();
      });
      void registerer!.register({
        requestDelegate: { onReject: (r) => reject(new Error(`REGISTER ${r.message.statusCode}`)) },
      });
    });
    log('registered', 200);
  },
  setScenario(next, after = 0) {
    scenario = next;
    hangUpAfterMs = after;
  },
  async call(number) {
    const target = UserAgent.makeURI(`sip:${number}@${userAgent!.configuration.uri.host}`)!;
    const inviter = new Inviter(userAgent!, target, {
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
    });
    current = inviter;
    log('dial');
    attachMedia(inviter);
    inviter.delegate = { onBye: () => log('bye') };
    await inviter.invite({
      requestDelegate: {
        onProgress: (r) => log('progress', r.message.statusCode),
        onAccept: (r) => log('accepted', r.message.statusCode),
        onReject: (r) => log('rejected', r.message.statusCode),
      },
    });
  },
  async hangUp() {
    const session = current;
    if (!session) return;
    if (session.state === SessionState.Established) await session.bye();
    else if (session instanceof Inviter) await session.cancel();
    else await (session as Invitation).reject();
  },
  registered: () => registerer?.state === RegistererState.Registered,
  log: () => entries,
  callState: () => current?.state ?? 'none',
  mediaDirection: () => {
    const pc = (current?.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection })
      ?.peerConnection;
    return pc?.getTransceivers()[0]?.currentDirection ?? null;
  },
};
