import type { z } from 'zod';
import {
  BulkResult,
  HubErrorBody,
  IntakeResponse,
  LeadQueuePage,
  LoginResponse,
  TeamLoad,
  type HubErrorCode,
  type LeadQueueQuery,
} from '../../common/sync/hubApi';
import {
  BlobProgress,
  PullResponse,
  PushResponse,
  UPLOAD_LENGTH_HEADER,
  UPLOAD_OFFSET_HEADER,
  type SyncOperation,
} from '../../common/sync/protocol';
import type { Priority } from '../../common/domain/model';

// The desk's HTTP client of the hub: one function per route, every answer parsed with the
// protocol's zod schema (the hub is another process: its answers are checked like any input).

/** The hub could not be reached or failed (network down, timeout, 5xx): try again later. */
export class HubUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubUnreachable';
  }
}

/** The hub answered no (4xx) with its coded error. */
export class HubRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HubRefusal';
  }
}

export const REQUEST_TIMEOUT_MS = 20_000;

export interface HubClientOptions {
  url: string;
  token?: string | null;
  /** A case system's key (`npm run import -- --hub`): only the intake route takes it. */
  apiKey?: string;
  timeoutMs?: number;
}

export function createHubClient(options: HubClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;

  async function send(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (init.body instanceof Uint8Array) {
      body = new Uint8Array(init.body);
      headers['content-type'] = 'application/octet-stream';
    } else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new HubUnreachable(`${method} ${path}: ${(error as Error).cause ?? (error as Error).message}`);
    }
    return response;
  }

  async function json<T extends z.ZodType>(
    response: Response,
    schema: T,
    what: string,
  ): Promise<z.output<T>> {
    let raw: unknown;
    try {
      raw = await response.json();
    } catch (error) {
      // The connection broke while the answer was arriving.
      throw new HubUnreachable(`${what}: the answer was cut off (${(error as Error).message})`);
    }
    if (!response.ok) throw refusal(response.status, raw, what);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new HubUnreachable(`${what}: malformed answer from the hub`);
    return parsed.data;
  }

  function refusal(status: number, raw: unknown, what: string): Error {
    if (status >= 500) return new HubUnreachable(`${what}: the hub failed (${status})`);
    const body = HubErrorBody.safeParse(raw);
    if (!body.success) return new HubRefusal(status, 'invalid_request', `${what}: refused (${status})`);
    return new HubRefusal(status, body.data.error.code, body.data.error.message, body.data.error.details);
  }

  const call = async <T extends z.ZodType>(method: string, path: string, schema: T, body?: unknown) =>
    json(await send(method, path, { body }), schema, `${method} ${path.split('?')[0]}`);

  return {
    url: base,
    login: (username: string, password: string) =>
      call('POST', '/auth/login', LoginResponse, { username, password }),
    async logout(): Promise<void> {
      const response = await send('POST', '/auth/logout', { body: {} });
      await response.body?.cancel();
    },
    push: (clientId: string, operations: readonly SyncOperation[]) =>
      call('POST', '/sync/push', PushResponse, { clientId, operations }),
    pull: (cursor: string, limit = 200) =>
      call('GET', `/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${limit}`, PullResponse),
    /** POST /intake/tasks: `rows` are the tasks' row numbers in their file, so the report speaks of them. */
    intake: (body: { tasks: readonly unknown[]; rows?: readonly number[] }) =>
      call('POST', '/intake/tasks', IntakeResponse, body),
    leadQueue(query: LeadQueueQuery) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== '') params.set(key, String(value));
      }
      return call('GET', `/lead/queue?${params}`, LeadQueuePage);
    },
    leadLoad: () => call('GET', '/lead/load', TeamLoad),
    leadReassign: (body: { taskIds: string[]; assigneeId: string | null; reason: string }) =>
      call('POST', '/lead/reassign', BulkResult, body),
    leadPriority: (body: { taskIds: string[]; priority: Priority; reason: string }) =>
      call('POST', '/lead/priority', BulkResult, body),
    leadAutoAssign: (body: { taskIds?: string[]; reason: string }) =>
      call('POST', '/lead/auto-assign', BulkResult, body),

    /** HEAD /blobs/:sha: present, or how many bytes the hub already holds. */
    async blobState(sha256: string): Promise<{ present: true } | { present: false; offset: number }> {
      const response = await send('HEAD', `/blobs/${sha256}`);
      if (response.status === 200) return { present: true };
      if (response.status === 404) {
        const offset = Number(response.headers.get(UPLOAD_OFFSET_HEADER) ?? '0');
        return { present: false, offset: Number.isSafeInteger(offset) && offset >= 0 ? offset : 0 };
      }
      throw refusal(response.status, null, `HEAD /blobs`);
    },
    /** PATCH the next bytes; a 409 answers the hub's offset, so the caller resumes there. */
    async blobChunk(sha256: string, offset: number, length: number, chunk: Uint8Array) {
      const response = await send('PATCH', `/blobs/${sha256}`, {
        body: chunk,
        headers: { [UPLOAD_OFFSET_HEADER]: String(offset), [UPLOAD_LENGTH_HEADER]: String(length) },
      });
      if (response.status === 409) {
        const held = Number(response.headers.get(UPLOAD_OFFSET_HEADER) ?? '0');
        await response.body?.cancel();
        return { offset: held, complete: false, conflict: true };
      }
      return { ...(await json(response, BlobProgress, 'PATCH /blobs')), conflict: false };
    },
    /** GET /blobs/:sha: the bytes (a sealed proof, a document) of a task the user may see. */
    async blob(sha256: string): Promise<Uint8Array> {
      const response = await send('GET', `/blobs/${sha256}`);
      if (!response.ok) throw refusal(response.status, await response.json().catch(() => null), 'GET /blobs');
      return new Uint8Array(await response.arrayBuffer());
    },
    /** Opens the server-sent event stream (the caller reads it). */
    events: (signal: AbortSignal) =>
      fetch(`${base}/sync/events`, {
        headers: { authorization: `Bearer ${options.token ?? ''}`, accept: 'text/event-stream' },
        signal,
      }),
  };
}
export type HubClient = ReturnType<typeof createHubClient>;
