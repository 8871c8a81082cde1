import { HubError } from '../errors';

// The public routes' limit per client address (@fastify/rate-limit keys on the address by
// default): guessing codes or tokens, or checking proofs in bulk, is slowed down.

/** A route's `config` allowing `rate.max` requests per window from one address; then `rate_limited`. */
export function perAddressLimit(rate: { max: number; windowMs: number }, message: string) {
  return {
    rateLimit: {
      max: rate.max,
      timeWindow: rate.windowMs,
      errorResponseBuilder: () => new HubError('rate_limited', message),
    },
  };
}
