// Sends recording chunks to main strictly in order, one at a time, retrying a failed send (with
// backoff) until it succeeds: a chunk is never dropped or sent out of order. `drain` waits for
// everything handed in so far.

export interface ChunkUploaderOptions {
  send(seq: number, bytes: Uint8Array): Promise<void>;
  retryDelayMs?(attempt: number): number;
  /** Told about each failed attempt (the UI may warn that evidence is waiting). */
  onRetry?(seq: number, error: unknown): void;
}

export interface ChunkUploader {
  /** Queues a chunk; answers its sequence number. */
  push(data: Blob | Uint8Array): number;
  /** Resolves when every chunk pushed so far has been sent. */
  drain(): Promise<void>;
  /** Chunks pushed but not yet acknowledged. */
  pending(): number;
  sent(): number;
}

async function bytesOf(data: Blob | Uint8Array): Promise<Uint8Array> {
  return data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
}

const defaultRetryDelay = (attempt: number) => Math.min(5000, 200 * 2 ** Math.min(attempt, 5));

export function createChunkUploader(options: ChunkUploaderOptions): ChunkUploader {
  const queue: Array<{ seq: number; data: Blob | Uint8Array }> = [];
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  let nextSeq = 0;
  let sent = 0;
  let pumping: Promise<void> | null = null;

  const pump = async () => {
    while (queue.length > 0) {
      const head = queue[0]!;
      const bytes = await bytesOf(head.data);
      for (let attempt = 0; ; attempt++) {
        try {
          await options.send(head.seq, bytes);
          break;
        } catch (error) {
          options.onRetry?.(head.seq, error);
          await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt)));
        }
      }
      queue.shift();
      sent++;
    }
  };

  const kick = () => {
    pumping ??= pump().finally(() => {
      pumping = null;
      if (queue.length > 0) kick();
    });
    return pumping;
  };

  return {
    push(data) {
      const seq = nextSeq++;
      queue.push({ seq, data });
      void kick();
      return seq;
    },
    async drain() {
      while (queue.length > 0 || pumping) await (pumping ?? kick());
    },
    pending: () => queue.length,
    sent: () => sent,
  };
}
