import { randomInt } from 'node:crypto';
import type { HubApp } from '../app';

// A hub that sends names its own address in every link, so its port is chosen before it is built;
// port 0 cannot be used. A random port can be taken (other suites' peers, rtpengine's media range),
// so on EADDRINUSE that hub is closed and another port tried.

const ATTEMPTS = 10;

export async function listenOnRandomPort(
  build: (url: string) => Promise<HubApp>,
  pickPort: () => number = () => randomInt(20_000, 60_000),
): Promise<{ app: HubApp; url: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = pickPort();
    const url = `http://127.0.0.1:${port}`;
    const app = await build(url);
    try {
      await app.listen({ host: '127.0.0.1', port });
      return { app, url };
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      lastError = error;
    }
  }
  throw lastError;
}
