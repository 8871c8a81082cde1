import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../common/sync/hubApi';
import {
  MessageView,
  PreviewRequest,
  PreviewResponse,
  SendRequest,
  SendResponse,
} from '../../../common/sync/send';
import { HubError } from '../../errors';
import { createLogger } from '../../logger';
import { userOf } from '../../plugins/auth';
import { previewSend, revokeLink, send } from '../../send/sendService';
import { settleDeliveryEffect } from '../../send/deliveryEffect';
import { recordDeliveryReport } from '../../store/messages';
import { errorResponses, SIGNED_IN } from '../schemas';

const log = createLogger('send');

/** One delivery report as these carriers call it back (a batch is an array of them). */
const SmsReport = z.object({
  phone_number: z.string(),
  send_time: z.string().optional(),
  report_time: z.string().optional(),
  success: z.boolean(),
  err_code: z.string().optional(),
  err_msg: z.string().optional(),
  biz_id: z.string().min(1),
  out_id: z.string().optional(),
});
const SmsReportBatch = z.array(SmsReport).min(1).max(1000);
/** What the carrier expects back: code 0 means received (it stops retrying). */
const ReportAnswer = z.object({ code: z.number().int(), msg: z.string() });

export const REPORT_TOKEN_HEADER = 'x-report-token';

const sameSecret = (given: string | undefined, expected: string): boolean => {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** A carrier's report time ("2026-12-01 09:00:00", China time) or now when absent or unreadable. */
function reportInstant(text: string | undefined): Date {
  if (!text) return new Date();
  const parsed = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(parsed.getTime()) ? new Date() : parsed;
}

const sendRoutes: FastifyPluginAsyncZod = async (app) => {
  const specialists = app.requireRole('specialist');
  const deps = () => ({ db: app.db, config: app.config.send, channels: app.channels });

  app.post(
    '/messages',
    {
      onRequest: specialists,
      schema: {
        summary: 'Sends documents of the task to the party by the chosen channels, once per send id',
        body: SendRequest,
        response: { 200: SendResponse, ...errorResponses(...SIGNED_IN, 404, 409) },
      },
    },
    async (request) => send(deps(), userOf(request), request.body),
  );

  app.post(
    '/preview',
    {
      onRequest: specialists,
      schema: {
        summary: 'The exact text each channel would carry (token and check code as placeholders)',
        body: PreviewRequest,
        response: { 200: PreviewResponse, ...errorResponses(...SIGNED_IN, 404, 409) },
      },
    },
    async (request) => previewSend(deps(), userOf(request), request.body),
  );

  app.post(
    '/messages/:messageId/revoke',
    {
      onRequest: app.requireRole(...ROLES),
      schema: {
        summary: "Revokes a message's link (the portal then says so and offers the hotline)",
        params: z.strictObject({ messageId: z.uuid() }),
        body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
        response: { 200: MessageView, ...errorResponses(...SIGNED_IN, 404) },
      },
    },
    async (request) => revokeLink(app.db, userOf(request), request.params.messageId, request.body.reason),
  );

  app.post(
    '/reports/sms',
    {
      schema: {
        summary: "The SMS carrier's delivery reports (authenticated by x-report-token)",
        headers: z.object({ [REPORT_TOKEN_HEADER]: z.string().optional() }).loose(),
        body: SmsReportBatch,
        response: { 200: ReportAnswer, ...errorResponses(400, 401, 409) },
      },
    },
    async (request) => {
      const sms = app.config.send?.sms;
      if (!sms) throw new HubError('conflict', 'this hub has no SMS channel');
      if (!sameSecret(request.headers[REPORT_TOKEN_HEADER], sms.reportToken)) {
        throw new HubError('unauthorized', 'a valid report token is required');
      }
      let unknown = 0;
      for (const report of request.body) {
        const known = await app.db.transaction(async (tx) => {
          const taskId = await recordDeliveryReport(tx, 'sms', {
            messageId: report.out_id ?? null,
            providerRef: report.biz_id,
            delivered: report.success,
            sentAt: reportInstant(report.send_time),
            at: reportInstant(report.report_time),
            reason: report.success
              ? null
              : `${report.err_code ?? ''} ${report.err_msg ?? ''}`.trim() || 'undelivered',
            raw: report,
          });
          if (taskId) await settleDeliveryEffect(tx, taskId);
          return taskId !== null;
        });
        if (!known) unknown += 1;
      }
      if (unknown > 0) log.warn({ unknown }, 'delivery reports for messages this hub does not know');
      return { code: 0, msg: '成功' };
    },
  );
};

export default sendRoutes;
