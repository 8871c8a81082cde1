import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kamailioMissing, startKamailio, type KamailioServer } from './kamailio';
import { startParty, type PartySimulator } from './partySimulator';
import { startPeerPages, type PeerPages } from './peerPages';
import { CHROMIUM_PATH } from '../support/chromium';
import { PARTY_SENTENCE, speechWav } from './speech';

// The demo line of `npm start`: the project's Kamailio on 127.0.0.1 with a catch-all, so that any
// phone number nobody registered reaches the party simulator, which answers and speaks. The same
// peers the end-to-end tests use; nothing here is specific to the demo but its wiring.

/** The user the party simulator registers as; Kamailio sends every unregistered number to it. */
export const DEMO_PARTY_USER = 'demo-party';
/** The desk's extension on the demo line. */
export const DEMO_DESK_EXTENSION = '8001';

export interface DemoLineAccount {
  wsServer: string;
  sipUri: string;
  displayName: string;
  callerId: string;
}

export interface DemoLine {
  account: DemoLineAccount;
  stop(): Promise<void>;
}

const onPath = (name: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** What the demo line needs and this machine lacks (Debian package names), or null. */
export function demoLineMissing(): string | null {
  const missing = [
    kamailioMissing(),
    existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is not installed (Debian package chromium)`,
    onPath('espeak-ng') ? null : 'espeak-ng is not installed (Debian package espeak-ng)',
    onPath('sox') ? null : 'sox is not installed (Debian package sox)',
  ].filter((reason): reason is string => reason !== null);
  return missing.length ? missing.join('; ') : null;
}

/** Starts Kamailio and the answering party; throws with what is missing when it cannot. */
export async function startDemoLine(): Promise<DemoLine> {
  const missing = demoLineMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'desk-demo-line-'));
  let kamailio: KamailioServer | null = null;
  let pages: PeerPages | null = null;
  let party: PartySimulator | null = null;
  const stop = async () => {
    await party?.stop().catch(() => undefined);
    await pages?.stop().catch(() => undefined);
    await kamailio?.stop().catch(() => undefined);
    party = pages = kamailio = null;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const wav = speechWav(dir, 'party', PARTY_SENTENCE);
    kamailio = await startKamailio({ catchAll: DEMO_PARTY_USER });
    pages = await startPeerPages(dir, kamailio.wsUrl);
    party = await startParty({ kamailio, pages, number: DEMO_PARTY_USER, wav });
    await party.setScenario('answer');
    return {
      account: {
        wsServer: kamailio.wsUrl,
        sipUri: `sip:${DEMO_DESK_EXTENSION}@${kamailio.domain}`,
        displayName: '',
        callerId: '',
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
