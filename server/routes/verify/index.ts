import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProofFactsSchema } from '../../../common/proof/proofFacts';
import { VerifyReportSchema } from '../../../common/proof/verifyReport';
import { verifyProofId, verifyProofPdfAtHub } from '../../proof/verifyService';
import { perAddressLimit } from '../addressRateLimit';
import { publicPage } from '../publicPage';
import { errorResponses } from '../schemas';

// Public verification of a proof of service: `POST /verify` with the PDF, `GET /verify/:proofId`
// with the id from its QR code (JSON; a browser asking for HTML gets the page, which the QR code
// opens), and the page itself at `/verify` (server/verify/, no framework, strict CSP). No login;
// rate limited per address; personal data masked in every answer.

/** A sealed proof with a long history stays well under this. */
const MAX_VERIFY_PDF_BYTES = 8 * 1024 * 1024;

export const VERIFY_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = publicPage(new URL('../../verify/', import.meta.url), ['verify.js', 'verify.css'], VERIFY_CSP);
const { secure } = page;

const ProofIdParams = z.object({ proofId: ProofFactsSchema.shape.proofId });
const wantsPage = (accept: string | undefined) =>
  !!accept && accept.includes('text/html') && !accept.includes('application/json');

const verifyRoutes: FastifyPluginAsyncZod = async (app) => {
  const rate = app.config.evidence.verifyRateLimit;
  const limited = perAddressLimit(rate, 'too many checks from this address; wait a minute');
  const roots = () => app.seal?.trustedRootsPem ?? [];
  app.addContentTypeParser(
    'application/pdf',
    { parseAs: 'buffer', bodyLimit: MAX_VERIFY_PDF_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get('/verify', { schema: { hide: true } }, async (_request, reply) => page.send(reply));
  page.serveAssets(app, '/verify/assets');

  app.post(
    '/verify',
    {
      config: limited,
      schema: {
        summary: 'Verifies a proof of service (the PDF): its seal, and its facts against the hub’s records',
        description:
          'Public, no login; rate limited. Body: the PDF (application/pdf). Personal data is masked.',
        body: z.instanceof(Buffer).describe('application/pdf'),
        response: { 200: VerifyReportSchema, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const report = await verifyProofPdfAtHub(app.db, roots(), new Uint8Array(request.body));
      return secure(reply).send(report);
    },
  );

  app.get(
    '/verify/:proofId',
    {
      config: limited,
      schema: {
        summary: 'Verifies a proof of service by its id (the QR code): filed, sealed, facts as recorded',
        description:
          'Public, no login; rate limited. JSON; a browser asking for text/html gets the verify page for this id.',
        params: ProofIdParams,
        response: { 200: VerifyReportSchema, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      if (wantsPage(request.headers.accept)) return page.send(reply);
      return secure(reply).send(await verifyProofId(app.db, roots(), request.params.proofId));
    },
  );
};

export default verifyRoutes;
