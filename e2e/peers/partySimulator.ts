import type { Browser, Page } from 'playwright-core';
import type { KamailioServer } from './kamailio';
import type { PeerPages } from './peerPages';
import { launchPhoneChromium } from './phoneBrowser';
import type { PartyScenario } from './pages/partyPage';

export type { PartyScenario };

// The party: a bare sip.js user agent in its own headless Chromium, registered as the party's
// number, whose microphone speaks a known sentence. Start it once per suite; switch scenarios
// between tests.

export interface PartyLogEntry {
  at: number;
  what: string;
  code?: number;
}

export interface PartySimulator {
  number: string;
  page: Page;
  setScenario(scenario: PartyScenario, hangUpAfterMs?: number): Promise<void>;
  /** The party calls `number` (the desk). */
  call(number: string): Promise<void>;
  hangUp(): Promise<void>;
  log(): Promise<PartyLogEntry[]>;
  mediaDirection(): Promise<string | null>;
  /** Registers again (after Kamailio restarted). */
  reRegister(): Promise<void>;
  stop(): Promise<void>;
}

export async function startParty(options: {
  kamailio: KamailioServer;
  pages: PeerPages;
  number: string;
  wav: string;
}): Promise<PartySimulator> {
  const browser: Browser = await launchPhoneChromium(options.wav);
  const register = async (): Promise<Page> => {
    const page = await browser.newPage();
    await page.goto(options.pages.url('party'));
    await page.waitForFunction(() => 'party' in window);
    await page.evaluate(
      ([ws, aor]) => window.party.start(ws!, aor!),
      [options.kamailio.wsUrl, `sip:${options.number}@${options.kamailio.domain}`],
    );
    return page;
  };
  let page = await register();
  return {
    number: options.number,
    get page() {
      return page;
    },
    setScenario: (scenario, after = 0) =>
      page.evaluate(([s, a]) => window.party.setScenario(s as PartyScenario, a as number), [scenario, after]),
    call: (number) => page.evaluate((n) => window.party.call(n), number),
    hangUp: () => page.evaluate(() => window.party.hangUp()),
    log: () => page.evaluate(() => window.party.log()),
    mediaDirection: () => page.evaluate(() => window.party.mediaDirection()),
    async reRegister() {
      await page.close();
      page = await register();
    },
    stop: () => browser.close(),
  };
}
