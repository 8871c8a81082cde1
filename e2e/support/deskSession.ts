import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHostProcess, type HostProcess } from './hostProcess';

/** Monday 10:00 in Shanghai: inside the default calling hours, whatever time CI runs. */
export const TEST_NOW = '2026-11-23T10:00:00+08:00';

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'desk-e2e-')), 'desk.sqlite');
}

export interface DeskSession {
  host: HostProcess;
  context: BrowserContext;
  page: Page;
  /** Stops the host and the page (the database stays). */
  close(): Promise<void>;
}

/** A running browser host on `dbPath` and a page open on it, the way a specialist would start. */
export async function openDeskSession(
  browser: Browser,
  dbPath: string,
  now = TEST_NOW,
): Promise<DeskSession> {
  const host = await startHostProcess(['--db', dbPath, '--now', now, '--specialist', '王敏']);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(host.url);
  return {
    host,
    context,
    page,
    async close() {
      await context.close();
      await host.stop();
    },
  };
}
