import { z } from 'zod';
import {
  AutoAssignRequest,
  BulkResult,
  HubErrorBody,
  HubUser,
  IntakeResponse,
  LeadQueuePage,
  LeadQueueQuery,
  LoginResponse,
  PriorityRequest,
  ReassignRequest,
  TeamLoad,
  type HubErrorCode,
} from './hubApi';
import {
  BlobProgress,
  INITIAL_CURSOR,
  PullResponse,
  PushResponse,
  TaskSnapshot,
  UPLOAD_LENGTH_HEADER,
  UPLOAD_OFFSET_HEADER,
} from './protocol';
import { PreviewRequest, PreviewResponse, SendResponse, type SendRequest } from './send';

// A typed client of the hub for desks, CLIs and tests: every answer is parsed with the protocol's
// schemas (the receiving side always parses). Transport-agnostic: give it a fetch (the global one
// in Node 20+ and browsers). No retries here — the desk's sync loop decides when to try again.

/** The part of fetch the client uses, so that common/ needs neither DOM nor Node types. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

export class HubRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode | 'bad_answer',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HubRequestError';
  }
}

export interface HubClientOptions {
  baseUrl: string;
  fetch: FetchLike;
  token?: string;
  apiKey?: string;
}

/** 1 MiB: a lost connection costs at most this much of a recording. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export function createHubClient(options: HubClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  let token = options.token;

  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
    ...extra,
  });

  async function failure(response: Awaited<ReturnType<FetchLike>>): Promise<HubRequestError> {
    const text = await response.text();
    let parsed: ReturnType<typeof HubErrorBody.safeParse> | null = null;
    try {
      parsed = HubErrorBody.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (parsed?.success) {
      const { code, message, details } = parsed.data.error;
      return new HubRequestError(response.status, code, message, details);
    }
    return new HubRequestError(response.status, 'bad_answer', `the hub answered ${response.status}`);
  }

  async function call<T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.output<T>> {
    const response = await options.fetch(`${base}${path}`, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 400) throw await failure(response);
    const parsed = schema.safeParse(JSON.parse(await response.text()));
    if (!parsed.success)
      throw new HubRequestError(response.status, 'bad_answer', 'the hub answered an unknown shape');
    return parsed.data;
  }

  const query = (values: Record<string, string | number | undefined>) => {
    const pairs = Object.entries(values).filter(
      (pair): pair is [string, string | number] => pair[1] !== undefined,
    );
    return pairs.length ? `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}` : '';
  };

  /** How much of a blob the hub holds: all of it, or the offset to resume from. */
  async function blobState(sha256: string): Promise<{ present: true } | { present: false; offset: number }> {
    const response = await options.fetch(`${base}/blobs/${sha256}`, { method: 'HEAD', headers: headers() });
    if (response.status === 200) return { present: true };
    if (response.status === 404) {
      return { present: false, offset: Number(response.headers.get(UPLOAD_OFFSET_HEADER) ?? '0') };
    }
    throw new HubRequestError(response.status, 'bad_answer', `HEAD /blobs answered ${response.status}`);
  }

  return {
    setToken(next: string | undefined) {
      token = next;
    },
    async login(username: string, password: string) {
      const answer = await call(LoginResponse, 'POST', '/auth/login', { username, password });
      token = answer.token;
      return answer;
    },
    logout: () => call(z.object({ ok: z.literal(true) }), 'POST', '/auth/logout'),
    me: () => call(HubUser, 'GET', '/auth/me'),
    push: (clientId: string, operations: readonly unknown[]) =>
      call(PushResponse, 'POST', '/sync/push', { clientId, operations }),
    pull: (cursor: string = INITIAL_CURSOR, limit?: number) =>
      call(PullResponse, 'GET', `/sync/pull${query({ cursor, limit })}`),
    task: (taskId: string) => call(TaskSnapshot, 'GET', `/sync/tasks/${encodeURIComponent(taskId)}`),
    intake: (tasks: readonly unknown[], teamId?: string) =>
      call(IntakeResponse, 'POST', '/intake/tasks', teamId ? { tasks, teamId } : { tasks }),
    leadQueue: (params: LeadQueueQuery = {}) =>
      call(LeadQueuePage, 'GET', `/lead/queue${query(LeadQueueQuery.parse(params))}`),
    reassign: (body: z.input<typeof ReassignRequest>) => call(BulkResult, 'POST', '/lead/reassign', body),
    autoAssign: (body: z.input<typeof AutoAssignRequest>) =>
      call(BulkResult, 'POST', '/lead/auto-assign', body),
    changePriority: (body: z.input<typeof PriorityRequest>) =>
      call(BulkResult, 'POST', '/lead/priority', body),
    teamLoad: (teamId?: string) => call(TeamLoad, 'GET', `/lead/load${query({ teamId })}`),
    blobState,
    /** POST /send/messages: idempotent by the request's send id (a retry answers `replayed`). */
    sendMessages: (request: SendRequest) => call(SendResponse, 'POST', '/send/messages', request),
    sendPreview: (body: z.input<typeof PreviewRequest>) =>
      call(PreviewResponse, 'POST', '/send/preview', body),

    /**
     * Uploads a blob from wherever the hub stopped (after an outage, only the rest travels).
     * Answers how many bytes were sent now. A hash mismatch throws HubRequestError('hash_mismatch').
     */
    async uploadBlob(sha256: string, bytes: Uint8Array, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<number> {
      const state = await blobState(sha256);
      if (state.present) return 0;
      let offset = state.offset;
      let sent = 0;
      while (offset < bytes.byteLength) {
        const chunk = bytes.subarray(offset, Math.min(offset + chunkBytes, bytes.byteLength));
        const response = await options.fetch(`${base}/blobs/${sha256}`, {
          method: 'PATCH',
          headers: headers({
            'content-type': 'application/octet-stream',
            [UPLOAD_OFFSET_HEADER]: String(offset),
            [UPLOAD_LENGTH_HEADER]: String(bytes.byteLength),
          }),
          body: chunk,
        });
        if (response.status === 409) {
          // The hub holds a different amount (another attempt got further): go on from there.
          offset = Number(response.headers.get(UPLOAD_OFFSET_HEADER) ?? '0');
          await response.text();
          continue;
        }
        if (response.status >= 400) throw await failure(response);
        const progress = BlobProgress.parse(JSON.parse(await response.text()));
        sent += chunk.byteLength;
        if (progress.complete) return sent;
        offset = progress.offset;
      }
      return sent;
    },
  };
}

export type HubClient = ReturnType<typeof createHubClient>;
