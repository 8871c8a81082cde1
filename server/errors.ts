import type { HubErrorCode } from '../common/sync/hubApi';

const STATUS: Readonly<Record<HubErrorCode, number>> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  hash_mismatch: 422,
  rate_limited: 429,
  internal: 500,
};

/** Thrown by hub code to answer with a specific code; anything else is a hidden 500. */
export class HubError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HubError';
    this.statusCode = STATUS[code];
  }
}
