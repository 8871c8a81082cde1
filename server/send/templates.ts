import { DateTime } from 'luxon';
import type { Channel } from '../../common/domain/legalEffect';
import { mayAskForPaperCopy } from '../../common/domain/legalEffect';
import { COURT_TIME_ZONE } from '../../common/domain/time';

// The message texts (zh-CN), one template per group of document kinds and channel. SMS templates
// are registered with the carrier under their id: the carrier renders the same text from the
// parameters, so `renderTemplate` is also what the fake carrier uses.

export interface TemplateParams extends Record<string, string> {
  court: string;
  party: string;
  caseNumber: string;
  documents: string;
  link: string;
  checkCode: string;
  expiry: string;
  hotline: string;
}

interface Template {
  id: string;
  subject: string | null;
  text: string;
}

const SMS_TAIL =
  '请于{expiry}前打开 {link} 查看并签收。核验码{checkCode}，与送达专员电话中告知的一致即为本院发送；如有疑问请拨打本院电话{hotline}。';
const EMAIL_TAIL = [
  '请于{expiry}前打开以下链接，核验身份后查看、下载并确认签收：',
  '{link}',
  '',
  '核验码：{checkCode}（与送达专员电话中告知的一致即为本院发送）',
  '如有疑问，请拨打{court}官方电话{hotline}核实。本邮件由系统发送，请勿直接回复。',
].join('\n');

const TEMPLATES: Record<'judgment' | 'summons' | 'general', Record<Channel, Template>> = {
  judgment: {
    sms: {
      id: 'DD_SMS_JUDGMENT',
      subject: null,
      text: `【{court}】{party}：本院向您送达{caseNumber}案的裁判文书{documents}，您也可申请领取纸质文书。${SMS_TAIL}`,
    },
    email: {
      id: 'DD_MAIL_JUDGMENT',
      subject: '{court}电子送达：{caseNumber}案裁判文书',
      text: `{party}：\n\n{court}依法向您电子送达{caseNumber}案的裁判文书：{documents}。您也可申请另行领取纸质文书。\n\n${EMAIL_TAIL}`,
    },
  },
  summons: {
    sms: {
      id: 'DD_SMS_SUMMONS',
      subject: null,
      text: `【{court}】{party}：本院向您送达{caseNumber}案的{documents}，请按文书载明的时间参加诉讼。${SMS_TAIL}`,
    },
    email: {
      id: 'DD_MAIL_SUMMONS',
      subject: '{court}电子送达：{caseNumber}案传票及诉讼文书',
      text: `{party}：\n\n{court}依法向您电子送达{caseNumber}案的{documents}，请按文书载明的时间参加诉讼。\n\n${EMAIL_TAIL}`,
    },
  },
  general: {
    sms: {
      id: 'DD_SMS_GENERAL',
      subject: null,
      text: `【{court}】{party}：本院向您送达{caseNumber}案的{documents}。${SMS_TAIL}`,
    },
    email: {
      id: 'DD_MAIL_GENERAL',
      subject: '{court}电子送达：{caseNumber}案诉讼文书',
      text: `{party}：\n\n{court}依法向您电子送达{caseNumber}案的{documents}。\n\n${EMAIL_TAIL}`,
    },
  },
};

/** The portal's one-time code (parameters court, code, minutes). */
export const OTP_TEMPLATE: Template = {
  id: 'DD_SMS_OTP',
  subject: null,
  text: '【{court}】您的电子送达验证码为{code}，{minutes}分钟内有效。请勿告诉他人。',
};

const BY_ID = new Map([
  ...Object.values(TEMPLATES).flatMap((byChannel) => Object.values(byChannel).map((t) => [t.id, t] as const)),
  [OTP_TEMPLATE.id, OTP_TEMPLATE] as const,
]);

/** The template for these documents: judgments, rulings and mediation statements first, then summonses. */
export function templateFor(
  channel: Channel,
  documents: readonly { title: string; kind: string }[],
): Template {
  if (documents.some(mayAskForPaperCopy)) return TEMPLATES.judgment[channel];
  if (documents.some((d) => d.kind === 'summons' || d.title.includes('传票')))
    return TEMPLATES.summons[channel];
  return TEMPLATES.general[channel];
}

const fill = (text: string, params: Readonly<Record<string, string>>): string =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);

/** The exact subject and text of a template with its parameters (throws on an unknown id). */
export function renderTemplate(
  templateId: string,
  params: Readonly<Record<string, string>>,
): { subject: string | null; text: string } {
  const template = BY_ID.get(templateId);
  if (!template) throw new Error(`no such template: ${templateId}`);
  return {
    subject: template.subject === null ? null : fill(template.subject, params),
    text: fill(template.text, params),
  };
}

/** The expiry as the message states it: a day and minute in the court's time zone. */
export const expiryText = (expiresAt: Date): string =>
  DateTime.fromJSDate(expiresAt).setZone(COURT_TIME_ZONE).toFormat('yyyy年M月d日 HH:mm');

/** Document titles as a message lists them: 《起诉状副本》《传票》. */
export const documentList = (documents: readonly { title: string }[]): string =>
  documents.map((d) => `《${d.title}》`).join('');
