import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import NodeWebSocket from 'ws';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { openDeskSession, tempDbPath, type DeskSession } from './support/deskSession';

// The browser host's WebSocket: what a page (or anything else on this machine) may and may not do.

let browser: Browser;
let session: DeskSession;
beforeAll(async () => {
  browser = await launchChromium();
  session = await openDeskSession(browser, tempDbPath());
  await session.page.getByTestId('demo-load').click();
  await session.page.getByTestId('queue-row').first().waitFor({ state: 'visible' });
});
afterAll(async () => {
  await session?.close();
  await browser?.close();
});

/** Sends raw frames from inside the desk page, as a compromised or buggy renderer could. */
async function rawFrames(frames: string[]): Promise<unknown[]> {
  return session.page.evaluate(async (texts) => {
    const token = sessionStorage.getItem('desk.token') ?? '';
    const socket = new WebSocket(`ws://${location.host}/desk?token=${encodeURIComponent(token)}`);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const answers: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      socket.onmessage = (message) => {
        const frame = JSON.parse(String(message.data));
        if (frame.type !== 'result') return;
        answers.push(frame);
        if (answers.length === texts.length) resolve();
      };
    });
    for (const text of texts) socket.send(text);
    await done;
    socket.close();
    return answers;
  }, frames);
}

describe('browser host protocol', () => {
  it('refuses messages that break the schema with a clear error, and changes nothing', async () => {
    const call = (id: number, name: string, params: unknown) =>
      JSON.stringify({ type: 'call', id, name, params });
    const [before] = (await rawFrames([call(1, 'taskGet', { taskId: 1 })])) as {
      result: { ok: boolean; value: unknown };
    }[];
    expect(before!.result.ok).toBe(true);
    const answers = (await rawFrames([
      'not json at all',
      JSON.stringify({ type: 'call', id: 2 }),
      call(3, 'callOutcome', { taskId: 1, disposition: 'teleported' }),
      call(4, 'callOutcome', { taskId: '1; DROP TABLE tasks', disposition: 'no_answer' }),
      call(5, 'dropDatabase', {}),
      call(6, 'taskReveal', { taskId: 1, field: 'everything' }),
    ])) as { id: number | null; result: { ok: boolean; error?: { code: string; message: string } } }[];
    expect(answers.map((a) => a.result.ok)).toEqual([false, false, false, false, false, false]);
    const byId = new Map(answers.map((a) => [a.id, a.result.error!]));
    expect(byId.get(null)!.code).toBe('invalid_request');
    expect(byId.get(2)!.message).toMatch(/protocol/);
    expect(byId.get(3)).toMatchObject({ code: 'invalid_request' });
    expect(byId.get(3)!.message).toMatch(/disposition/);
    expect(byId.get(4)!.message).toMatch(/taskId/);
    expect(byId.get(5)!.code).toBe('unknown_method');
    expect(byId.get(6)!.code).toBe('invalid_request');
    const [after] = (await rawFrames([call(7, 'taskGet', { taskId: 1 })])) as {
      result: { value: unknown };
    }[];
    expect(after!.result.value).toEqual(before!.result.value);
  });

  it('refuses a socket without the per-launch secret or from another origin', async () => {
    const { origin, token } = session.host;
    const wsUrl = `${origin.replace('http', 'ws')}/desk`;
    const status = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new NodeWebSocket(url, { headers });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect(await status(`${wsUrl}?token=${token}`, { Origin: origin })).toBe(101);
    expect(await status(`${wsUrl}?token=wrong`, { Origin: origin })).toBe(401);
    expect(await status(wsUrl, { Origin: origin })).toBe(401);
    expect(await status(`${wsUrl}?token=${token}`, { Origin: 'http://evil.example' })).toBe(403);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const response = await fetch(session.host.origin + '/');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });
});
