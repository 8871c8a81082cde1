import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { KamailioServer } from './kamailio';
import type { PeerPages } from './peerPages';

// The desk's phone modules in the bare harness page (pages/phoneHarnessPage.ts), as the peer-level
// phone specs drive them: open and start it against Kamailio, wait on a call, join its recording.

export type HarnessCall = NonNullable<ReturnType<Window['harness']['call']>>;

/** Opens the harness page in `browser` and starts its phone as `extension` (Kamailio asks no password). */
export async function openDeskHarness(
  browser: Browser,
  pages: PeerPages,
  kamailio: KamailioServer,
  extension: string,
): Promise<Page> {
  const desk = await browser.newPage();
  await desk.goto(pages.url('phone'));
  await desk.waitForFunction(() => 'harness' in window);
  await desk.evaluate(
    ([wsServer, sipUri]) =>
      window.harness.start({
        wsServer: wsServer!,
        sipUri: sipUri!,
        authUser: '',
        password: '',
        displayName: 'Desk',
      }),
    [kamailio.wsUrl, `sip:${extension}@${kamailio.domain}`],
  );
  return desk;
}

/** Polls the harness's call `name` until `done` holds; answers the call as last seen. */
export async function waitForHarnessCall(
  desk: Page,
  name: string,
  done: (call: HarnessCall) => boolean,
  timeoutMs = 30_000,
): Promise<HarnessCall> {
  let last: HarnessCall | null = null;
  await expect
    .poll(
      async () => {
        last = await desk.evaluate((n) => window.harness.call(n), name);
        return last !== null && done(last);
      },
      { timeout: timeoutMs, interval: 200 },
    )
    .toBe(true);
  return last!;
}

/** Writes the chunks in `chunkDir` to `file`, concatenated in sequence order; answers the sequence numbers. */
export function joinRecordingChunks(chunkDir: string, file: string): number[] {
  const seqs = readdirSync(chunkDir)
    .map((name) => Number(name.replace('.bin', '')))
    .sort((a, b) => a - b);
  writeFileSync(file, Buffer.concat(seqs.map((seq) => readFileSync(join(chunkDir, `${seq}.bin`)))));
  return seqs;
}
