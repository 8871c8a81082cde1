import { Registerer, RegistererState, UserAgent, UserAgentState, type Invitation } from 'sip.js';
import { backoffDelayMs } from './backoff';

// The desk's SIP user agent: one WebSocket to the SIP server, one registration, kept alive. After
// the server or the network drops it reconnects and re-registers with backoff, and at once when the
// browser says the network is back (`online`).

export interface PhoneAccount {
  wsServer: string;
  sipUri: string;
  authUser: string;
  password: string;
  displayName: string;
}

export type RegistrationState = 'idle' | 'connecting' | 'registered' | 'failed';
export type RegistrationFailure = 'transport' | 'rejected' | 'offline' | 'config';

export interface RegistrationStatus {
  state: RegistrationState;
  reason: RegistrationFailure | null;
  /** Machine detail for the reason, e.g. "403 Forbidden" or the transport's error. */
  detail: string | null;
  /** When the next attempt is due (ms from now), if one is scheduled. */
  retryInMs: number | null;
}

export interface PhoneAgentOptions {
  account: PhoneAccount;
  onStatus(status: RegistrationStatus): void;
  onInvite(invitation: Invitation): void;
  /** Registration lifetime asked of the server, in seconds. */
  registerExpires?: number;
  backoff?(attempt: number): number;
  /** Where `online`/`offline` come from (the page's window). */
  network?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

export interface PhoneAgent {
  readonly userAgent: UserAgent;
  /** The SIP domain of the account (where numbers are dialled). */
  readonly domain: string;
  status(): RegistrationStatus;
  start(): void;
  /** Reconnects and re-registers now (the network came back, or the user asked). */
  retryNow(): void;
  stop(): Promise<void>;
}

export function createPhoneAgent(options: PhoneAgentOptions): PhoneAgent {
  const { account } = options;
  const uri = UserAgent.makeURI(account.sipUri);
  if (!uri) throw new Error(`not a SIP URI: ${account.sipUri}`);
  const backoff = options.backoff ?? ((attempt: number) => backoffDelayMs(attempt));
  const network = options.network ?? window;

  let current: RegistrationStatus = { state: 'idle', reason: null, detail: null, retryInMs: null };
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const setStatus = (next: Omit<RegistrationStatus, 'retryInMs'>, retryInMs: number | null = null) => {
    current = { ...next, retryInMs };
    options.onStatus(current);
  };

  const userAgent = new UserAgent({
    uri,
    displayName: account.displayName || undefined,
    authorizationUsername: account.authUser || uri.user,
    authorizationPassword: account.password || undefined,
    transportOptions: { server: account.wsServer, connectionTimeout: 5 },
    // There is no STUN server on a court's closed network; loopback and LAN candidates only.
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers: [] },
      iceGatheringTimeout: 2000,
    },
    logBuiltinEnabled: false,
    logLevel: 'error',
    delegate: {
      onConnect: () => register(),
      onDisconnect: (error?: Error) => {
        if (stopped || !error) return;
        fail('transport', error.message || 'connection lost');
      },
      onInvite: (invitation) => options.onInvite(invitation),
    },
  });

  const registerer = new Registerer(userAgent, { expires: options.registerExpires ?? 300 });
  registerer.stateChange.addListener((state) => {
    if (stopped) return;
    if (state === RegistererState.Registered) {
      attempt = 0;
      setStatus({ state: 'registered', reason: null, detail: null });
    }
  });

  function fail(reason: RegistrationFailure, detail: string) {
    if (stopped) return;
    clearTimeout(timer);
    const delay = backoff(attempt++);
    setStatus({ state: 'failed', reason, detail }, delay);
    timer = setTimeout(connect, delay);
  }

  function register() {
    if (stopped) return;
    registerer
      .register({
        requestDelegate: {
          // The state may already be Registered (a refresh after a reconnect): no stateChange then.
          onAccept: () => {
            attempt = 0;
            setStatus({ state: 'registered', reason: null, detail: null });
          },
          onReject: (response) =>
            fail('rejected', `${response.message.statusCode} ${response.message.reasonPhrase}`),
        },
      })
      .catch((error: unknown) => {
        // A REGISTER already in flight answers for this one too.
        if (error instanceof Error && /in progress/i.test(error.message)) return;
        fail('transport', error instanceof Error ? error.message : String(error));
      });
  }

  function connect() {
    if (stopped) return;
    clearTimeout(timer);
    setStatus({ state: 'connecting', reason: null, detail: null });
    if (userAgent.isConnected()) {
      register();
      return;
    }
    const connecting = userAgent.state === UserAgentState.Stopped ? userAgent.start() : userAgent.reconnect();
    // onConnect registers; a failure here is a server that is not (yet) there.
    connecting.catch((error: unknown) =>
      fail('transport', error instanceof Error ? error.message : String(error)),
    );
  }

  const onOnline = () => {
    attempt = 0;
    connect();
  };
  const onOffline = () => {
    if (!stopped) setStatus({ state: 'failed', reason: 'offline', detail: null });
  };

  return {
    userAgent,
    domain: uri.host,
    status: () => current,
    start() {
      network.addEventListener('online', onOnline);
      network.addEventListener('offline', onOffline);
      connect();
    },
    retryNow: onOnline,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      network.removeEventListener('online', onOnline);
      network.removeEventListener('offline', onOffline);
      if (registerer.state === RegistererState.Registered && userAgent.isConnected()) {
        await registerer.unregister().catch(() => undefined);
      }
      await registerer.dispose().catch(() => undefined);
      await userAgent.stop().catch(() => undefined);
      current = { state: 'idle', reason: null, detail: null, retryInMs: null };
      options.onStatus(current);
    },
  };
}
