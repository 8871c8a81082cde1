import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

// Other engineers run servers on this machine too: pick a random port in 20000-60000 that is free
// for both TCP and UDP on 127.0.0.1, and try again when it is not.

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** `count` consecutive free ports (TCP and UDP), starting at a random one. */
export async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * (40000 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const free = await Promise.all(ports.map(async (p) => (await tcpFree(p)) && (await udpFree(p))));
    if (free.every(Boolean)) return ports;
  }
  throw new Error('no free ports found in 20000-60000');
}

/**
 * Starts a peer, and starts it again (it picks fresh ports each time) when it fails to: a port
 * found free can still be taken before the peer binds it.
 */
export async function startRetryingPorts<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
