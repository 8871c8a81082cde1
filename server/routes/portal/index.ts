import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Sha256Hex } from '../../../common/sync/protocol';
import { HubError } from '../../errors';
import {
  confirmReceipt,
  documentBytes,
  MAX_SIGNATURE_BYTES,
  openLink,
  portalCase,
  sendOtp,
  sessionMessage,
  signAddressConfirmation,
  verify,
  type PortalDeps,
  type Visitor,
} from '../../send/portalService';
import { perAddressLimit } from '../addressRateLimit';
import { publicPage } from '../publicPage';
import { errorResponses } from '../schemas';

// The recipient's portal: the page (server/portal/, no framework, strict CSP) and its JSON API.
// The link's token travels in request bodies and the verified session in a header, never in a
// URL the hub logs, except the page's own address which the recipient received.

export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PORTAL_SESSION_HEADER = 'x-portal-session';

const page = publicPage(new URL('../../portal/', import.meta.url), ['portal.js', 'portal.css'], PORTAL_CSP);
const { secure } = page;

const visitor = (request: FastifyRequest): Visitor => ({
  ip: request.ip,
  // Kept to the length a proof of service cites (common/proof/proofFacts.ts), so the hub's record
  // and the proof's always agree.
  userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
});

const Token = z.string().regex(/^[A-Za-z0-9_-]{32,100}$/);
const SessionHeaders = z.object({ [PORTAL_SESSION_HEADER]: z.string().max(100).optional() }).loose();
/** Base64 of a PNG (4/3 of its bytes). */
const SignaturePng = z
  .string()
  .max(Math.ceil((MAX_SIGNATURE_BYTES * 4) / 3) + 4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/);

const LinkState = z.enum(['ok', 'expired', 'revoked', 'locked', 'unknown']);
const OpenAnswer = z.object({
  state: LinkState,
  court: z.string().nullable(),
  hotline: z.string(),
  checkCode: z.string().nullable(),
  identity: z
    .object({
      method: z.enum(['otp', 'id_last_digits']),
      phoneMasked: z.string().nullable(),
      attemptsLeft: z.number().int(),
    })
    .nullable(),
});
const VerifyAnswer = z.union([
  z.object({ verified: z.literal(true), session: z.string() }),
  z.object({ verified: z.literal(false), attemptsLeft: z.number().int(), state: LinkState }),
]);
const Effect = z.object({
  effective: z.boolean(),
  basis: z.string(),
  rule: z.string(),
  serviceDate: z.string().nullable(),
  facts: z.array(
    z.object({
      kind: z.string(),
      ref: z.string(),
      at: z.string(),
      channel: z.string().optional(),
      detail: z.string().optional(),
    }),
  ),
  paperCopyOnRequest: z.object({ offered: z.boolean(), documents: z.array(z.string()) }),
});
const CaseAnswer = z.object({
  court: z.string(),
  hotline: z.string(),
  caseNumber: z.string(),
  cause: z.string(),
  partyName: z.string(),
  documents: z.array(
    z.object({ title: z.string(), kind: z.string(), sha256: z.string(), paperCopyOnRequest: z.boolean() }),
  ),
  addressConfirmation: z.object({ text: z.string(), signed: z.boolean() }),
  confirmed: z.boolean(),
  effect: Effect,
});

const portalRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = (): PortalDeps => {
    const config = app.config.send;
    if (!config) throw new HubError('not_found', 'this hub does not send');
    return { db: app.db, config, channels: app.channels };
  };
  // Guessing codes or tokens from one address is slowed down (the per-link limit is in the database).
  const rate = app.config.send?.portalRateLimit ?? { max: 30, windowMs: 60_000 };
  const limited = perAddressLimit(rate, 'too many tries; wait a minute');

  app.get(
    '/p/:token',
    // The address carries the link's token: no request log line for it (the hub keeps only its hash).
    { logLevel: 'warn', schema: { hide: true, params: z.object({ token: z.string().max(100) }) } },
    async (_request, reply) => page.send(reply),
  );
  page.serveAssets(app, '/portal/assets');

  app.post(
    '/portal/api/open',
    {
      config: limited,
      schema: {
        summary: 'Portal: the link is opened (public; the token is the credential)',
        body: z.strictObject({ token: Token }),
        response: { 200: OpenAnswer, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      secure(reply);
      return openLink(deps(), request.body.token, visitor(request));
    },
  );

  app.post(
    '/portal/api/otp',
    {
      config: limited,
      schema: {
        summary: 'Portal: sends a one-time code to the recipient’s phone',
        body: z.strictObject({ token: Token }),
        response: { 200: z.object({ phoneMasked: z.string() }), ...errorResponses(400, 403, 404, 409, 429) },
      },
    },
    async (request) => sendOtp(deps(), request.body.token, visitor(request)),
  );

  app.post(
    '/portal/api/verify',
    {
      config: limited,
      schema: {
        summary: 'Portal: checks the code or the ID number’s last digits; wrong tries are limited',
        body: z.strictObject({ token: Token, code: z.string().trim().min(1).max(20) }),
        response: { 200: VerifyAnswer, ...errorResponses(400, 403, 404, 429) },
      },
    },
    async (request) => verify(deps(), request.body.token, request.body.code, visitor(request)),
  );

  app.get(
    '/portal/api/case',
    {
      schema: {
        summary:
          'Portal: the court, the case, the documents and the service’s legal effect (verified session)',
        headers: SessionHeaders,
        response: { 200: CaseAnswer, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const portal = deps();
      return portal.db.transaction(async (tx) =>
        portalCase(portal, tx, await sessionMessage(portal, tx, request.headers[PORTAL_SESSION_HEADER])),
      );
    },
  );

  app.get(
    '/portal/api/documents/:sha256',
    {
      schema: {
        summary: 'Portal: a document (PDF) to view in the page or download; each is recorded',
        headers: SessionHeaders,
        params: z.strictObject({ sha256: Sha256Hex }),
        querystring: z.strictObject({ mode: z.enum(['view', 'download']).default('view') }),
        response: {
          200: z.instanceof(Buffer).describe('application/pdf'),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { mode } = request.query;
      const { bytes, title } = await documentBytes(
        deps(),
        request.headers[PORTAL_SESSION_HEADER],
        request.params.sha256,
        mode,
        visitor(request),
      );
      const name = encodeURIComponent(`${title}.pdf`);
      return secure(reply)
        .type('application/pdf')
        .header(
          'content-disposition',
          `${mode === 'view' ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`,
        )
        .send(bytes);
    },
  );

  app.post(
    '/portal/api/confirm',
    {
      bodyLimit: MAX_SIGNATURE_BYTES * 2,
      schema: {
        summary:
          'Portal: confirms receipt, optionally with a handwritten signature (PNG, stored as evidence)',
        headers: SessionHeaders,
        body: z.strictObject({ signaturePng: SignaturePng.nullable().default(null) }),
        response: { 200: CaseAnswer, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      confirmReceipt(
        deps(),
        request.headers[PORTAL_SESSION_HEADER],
        request.body.signaturePng,
        visitor(request),
      ),
  );

  app.post(
    '/portal/api/address-confirmation',
    {
      bodyLimit: MAX_SIGNATURE_BYTES * 2,
      schema: {
        summary: 'Portal: signs the delivery-address confirmation (送达地址确认书), stored as evidence',
        headers: SessionHeaders,
        body: z.strictObject({ agreed: z.literal(true), signaturePng: SignaturePng }),
        response: { 200: z.object({ sha256: z.string() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      signAddressConfirmation(
        deps(),
        request.headers[PORTAL_SESSION_HEADER],
        request.body.signaturePng,
        visitor(request),
      ),
  );
};

export default portalRoutes;
