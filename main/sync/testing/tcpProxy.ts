import net from 'node:net';

// A small TCP proxy between a desk and the hub, for fault injection: pass, delay every chunk,
// refuse connections (each one reset at once), or — once — drop the connection in the middle of a
// request or right when its answer starts (the hub has done the work; the desk never hears).
// Refusing keeps the port listening: a port closed and opened again later can be taken meanwhile
// (by any outgoing connection's ephemeral port), and the desk must find the hub where it was.

export interface TcpProxy {
  port: number;
  url: string;
  setTarget(port: number): void;
  delay(ms: number): void;
  /** Cuts open connections and resets every new one until `heal`. */
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
  let refusing = false;

  const later = (fn: () => void) => (delayMs > 0 ? setTimeout(fn, delayMs) : fn());

  function onConnection(client: net.Socket) {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
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

  const server = net.createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };
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
    refuse: async () => {
      refusing = true;
      cutAll();
    },
    heal: async () => {
      delayMs = 0;
      refusing = false;
    },
    dropRequest: (path, bytes = 60) => {
      dropRequestArm = { path, bytes };
    },
    dropResponse: (path) => {
      dropResponseArm = path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
