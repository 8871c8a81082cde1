import net from 'node:net';

// A small TCP proxy between a desk and the hub, for fault injection: pass, delay every chunk,
// refuse connections (the port closed), or — once — drop the connection in the middle of a
// request or right when its answer starts (the hub has done the work; the desk never hears).

export interface TcpProxy {
  port: number;
  url: string;
  setTarget(port: number): void;
  delay(ms: number): void;
  /** Closes the listening port (connections are refused) and cuts open ones. */
  refuse(): Promise<void>;
  heal(): Promise<void>;
  /** The next request whose first line contains `path` is cut after `bytes` of it reached the hub. */
  dropRequest(path: string, bytes?: number): void;
  /** The next answer to a request whose first line contains `path` is cut as it starts. */
  dropResponse(path: string): void;
  /** Request lines seen, in order ("POST /sync/push HTTP/1.1"). */
  readonly requests: string[];
  /** Connections cut by an armed drop so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  let delayMs = 0;
  let dropRequestArm: { path: string; bytes: number } | null = null;
  let dropResponseArm: string | null = null;
  const requests: string[] = [];
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let port = 0;

  const later = (fn: () => void) => (delayMs > 0 ? setTimeout(fn, delayMs) : fn());

  function onConnection(client: net.Socket) {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', cut);
    upstream.on('error', cut);
    let lastRequest = '';
    let cutResponse = false;
    client.on('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1', 0, Math.min(chunk.length, 200));
      const line = /^(GET|POST|PATCH|HEAD|PUT|DELETE) (\S+) HTTP\/1\.1/.exec(head);
      if (line) {
        lastRequest = line[0];
        requests.push(lastRequest);
        if (dropResponseArm && lastRequest.includes(dropResponseArm)) {
          dropResponseArm = null;
          cutResponse = true;
        }
        if (dropRequestArm && lastRequest.includes(dropRequestArm.path)) {
          const bytes = Math.min(dropRequestArm.bytes, chunk.length - 1);
          dropRequestArm = null;
          cuts += 1;
          upstream.write(chunk.subarray(0, bytes), () => setTimeout(cut, 20));
          return;
        }
      }
      later(() => upstream.write(chunk));
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutResponse) {
        cuts += 1;
        cut();
        return;
      }
      later(() => client.write(chunk));
    });
  }

  async function listen(onPort: number) {
    server = net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => resolve());
    });
    port = (server.address() as net.AddressInfo).port;
  }
  const closeServer = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  await listen(0);
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    requests,
    get cuts() {
      return cuts;
    },
    setTarget: (next) => {
      target = next;
    },
    delay: (ms) => {
      delayMs = ms;
    },
    refuse: closeServer,
    heal: async () => {
      delayMs = 0;
      if (!server.listening) await listen(port);
    },
    dropRequest: (path, bytes = 60) => {
      dropRequestArm = { path, bytes };
    },
    dropResponse: (path) => {
      dropResponseArm = path;
    },
    close: closeServer,
  };
}
