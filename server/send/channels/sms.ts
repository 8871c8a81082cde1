import { z } from 'zod';
import type { SendConfig } from '../../config';
import type { ChannelOutcome, OutgoingMessage, SendingChannel } from './channel';

type SmsConfig = NonNullable<SendConfig['sms']>;

// A carrier API shaped like the common Chinese cloud SMS APIs: a registered template and its
// parameters (the carrier renders the text), a business id back, and delivery reports later
// (POST /send/reports/sms, see server/routes/send/reports.ts).

export const CarrierSendRequest = z.strictObject({
  PhoneNumbers: z.string().regex(/^\d{11}$/),
  SignName: z.string().min(1),
  TemplateCode: z.string().min(1),
  /** JSON of the template's parameters, as these APIs take it. */
  TemplateParam: z.string(),
  /** Our message id, echoed in the delivery report. */
  OutId: z.string(),
});
export type CarrierSendRequest = z.infer<typeof CarrierSendRequest>;

export const CarrierSendResponse = z.object({
  Code: z.string(),
  Message: z.string().optional(),
  BizId: z.string().optional(),
  RequestId: z.string().optional(),
});

export const SMS_ACCESS_KEY_HEADER = 'x-sms-access-key';

export function smsChannel(config: SmsConfig): SendingChannel {
  return {
    kind: 'sms',
    sender: config.senderNumber,
    async send(message: OutgoingMessage): Promise<ChannelOutcome> {
      const request: CarrierSendRequest = {
        PhoneNumbers: message.to,
        SignName: config.signName,
        TemplateCode: message.templateId,
        TemplateParam: JSON.stringify(message.templateParams),
        OutId: message.id,
      };
      let response: Response;
      try {
        response = await fetch(new URL('sms/send', `${config.apiUrl.replace(/\/+$/, '')}/`), {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SMS_ACCESS_KEY_HEADER]: config.accessKey },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
      } catch (error) {
        return { status: 'failed', reason: `carrier unreachable: ${(error as Error).message}`.slice(0, 500) };
      }
      const parsed = CarrierSendResponse.safeParse(await response.json().catch(() => null));
      if (!response.ok || !parsed.success) {
        return { status: 'failed', reason: `carrier answered HTTP ${response.status}` };
      }
      const answer = parsed.data;
      if (answer.Code !== 'OK' || !answer.BizId) {
        return { status: 'failed', reason: `${answer.Code}: ${answer.Message ?? ''}`.trim().slice(0, 500) };
      }
      return { status: 'sent', providerRef: answer.BizId };
    },
    async close() {},
  };
}
