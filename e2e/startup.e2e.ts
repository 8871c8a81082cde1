import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { TEST_NOW, tempDbPath } from './support/deskSession';
import { startHostProcess } from './support/hostProcess';

// Start-up: the page's first script opens the socket and sends the first calls; the app, once
// loaded, takes their answers instead of asking again.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('start-up', () => {
  it('sends each first call once, on one socket, and shows the desk from their answers', async () => {
    const host = await startHostProcess(['--db', tempDbPath(), '--now', TEST_NOW]);
    const context = await browser.newContext({ locale: 'zh-CN' });
    try {
      const page = await context.newPage();
      const sockets: string[] = [];
      const sent: string[] = [];
      page.on('websocket', (socket) => {
        sockets.push(new URL(socket.url()).pathname);
        socket.on('framesent', (frame) => {
          const call = JSON.parse(String(frame.payload)) as { name: string };
          sent.push(call.name);
        });
      });
      await page.goto(host.url);
      // An empty desk: the session says so, and the empty state offers the demo set.
      await page.getByTestId('demo-load').waitFor({ state: 'visible' });
      expect(sockets).toEqual(['/desk']);
      // Each call once: the early ones (session, hub session, counts, first page) are not asked again.
      expect(sent.slice().sort()).toEqual([
        'hubSession',
        'phoneSetup',
        'queueCounts',
        'queuePage',
        'sessionInfo',
        'storageStatus',
        'syncStatus',
      ]);
    } finally {
      await context.close();
      await host.stop();
    }
  });
});
