import { createServer, type AddressInfo } from 'node:net';
import type { HubApp } from '../app';

// A hub that sends names its own address in every link, so its port is chosen before it is built;
// port 0 cannot be used. The port is one the system just handed out as free, but it can be taken
// before the hub binds it (other suites' peers, any outgoing connection), so on EADDRINUSE that
// hub is closed and another port tried.

const ATTEMPTS = 10;

/** A port that was free a moment ago: the one the system gives a listener on port 0. */
function probedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function listenOnRandomPort(
  build: (url: string) => Promise<HubApp>,
  pickPort: () => number | Promise<number> = probedPort,
): Promise<{ app: HubApp; url: string }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = await pickPort();
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
