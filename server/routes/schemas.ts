import { HubErrorBody } from '../../common/sync/hubApi';

/** The HTTP statuses hub routes answer errors with (see server/errors.ts for their codes). */
type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429;

/** The error answers a route may give (always the one HubErrorBody shape), plus 500. */
export function errorResponses(...statuses: ErrorStatus[]) {
  return Object.fromEntries([...statuses, 500].map((status) => [status, HubErrorBody])) as Record<
    number,
    typeof HubErrorBody
  >;
}

/** Routes for signed-in users answer these whatever they do. */
export const SIGNED_IN = [400, 401, 403] as const;
