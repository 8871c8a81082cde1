import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { listenOnRandomPort } from './listenOnRandomPort';
import { freshDbTarget, startHub } from './hubFixture';

// CI once lost a whole e2e suite to a random port that something else held. The helper must take
// another port instead, and the hub it returns must be the one built for that port.
describe('listenOnRandomPort', () => {
  const taken = createServer();
  afterAll(() => new Promise<void>((done) => taken.close(() => done())));

  it('tries another port when the first is taken, and names the port it got', async () => {
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const busy = (taken.address() as AddressInfo).port;
    const spare = createServer();
    await new Promise<void>((done) => spare.listen(0, '127.0.0.1', done));
    const free = (spare.address() as AddressInfo).port;
    await new Promise<void>((done) => spare.close(() => done()));

    const ports = [busy, free];
    const built: string[] = [];
    const db = await freshDbTarget();
    const { app, url } = await listenOnRandomPort(
      (url) => {
        built.push(url);
        return startHub(db, {});
      },
      () => ports.shift()!,
    );
    try {
      expect(built).toEqual([`http://127.0.0.1:${busy}`, `http://127.0.0.1:${free}`]);
      expect(url).toBe(`http://127.0.0.1:${free}`);
      expect((app.server.address() as AddressInfo).port).toBe(free);
      // The hub answers there: a request without a session is refused by the hub itself.
      expect((await fetch(`${url}/auth/me`)).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
