import { describe, expect, it } from 'vitest';
import {
  documentList,
  expiryText,
  OTP_TEMPLATE,
  renderTemplate,
  templateFor,
  type TemplateParams,
} from './templates';

const params: TemplateParams = {
  court: '乌海市海南区人民法院',
  party: '张三',
  caseNumber: '(2024)内0303民初1234号',
  documents: documentList([{ title: '传票' }, { title: '起诉状副本' }]),
  link: 'https://hub.example/p/{token}',
  checkCode: '0427',
  expiry: expiryText(new Date('2026-12-08T01:30:00Z')),
  hotline: '0473-12368',
};

describe('message templates', () => {
  it('chooses by document kind: paper-copy documents first, then summonses, else the general text', () => {
    expect(templateFor('sms', [{ title: '民事裁定书', kind: '' }]).id).toBe('DD_SMS_JUDGMENT');
    expect(templateFor('email', [{ title: '调解书', kind: 'mediation_statement' }]).id).toBe(
      'DD_MAIL_JUDGMENT',
    );
    expect(templateFor('sms', [{ title: '传票', kind: 'summons' }]).id).toBe('DD_SMS_SUMMONS');
    expect(templateFor('email', [{ title: '起诉状副本', kind: 'complaint' }]).id).toBe('DD_MAIL_GENERAL');
  });

  it('fills every parameter; the expiry is in the court’s time zone', () => {
    for (const id of [
      'DD_SMS_GENERAL',
      'DD_SMS_SUMMONS',
      'DD_SMS_JUDGMENT',
      'DD_MAIL_GENERAL',
      'DD_MAIL_JUDGMENT',
    ]) {
      const { subject, text } = renderTemplate(id, params);
      expect(text.replace('{token}', '')).not.toMatch(/\{\w+\}/);
      expect(subject ?? '').not.toMatch(/\{\w+\}/);
      expect(text).toContain('核验码');
      expect(text).toContain('0427');
      expect(text).toContain('0473-12368');
      expect(text).toContain('2026年12月8日 09:30');
    }
    expect(renderTemplate('DD_SMS_SUMMONS', params).text).toBe(
      '【乌海市海南区人民法院】张三：本院向您送达(2024)内0303民初1234号案的《传票》《起诉状副本》，请按文书载明的时间参加诉讼。' +
        '请于2026年12月8日 09:30前打开 https://hub.example/p/{token} 查看并签收。核验码0427，与送达专员电话中告知的一致即为本院发送；' +
        '如有疑问请拨打本院电话0473-12368。',
    );
    expect(renderTemplate(OTP_TEMPLATE.id, { court: '某法院', code: '123456', minutes: '10' }).text).toBe(
      '【某法院】您的电子送达验证码为123456，10分钟内有效。请勿告诉他人。',
    );
    expect(() => renderTemplate('NO_SUCH', params)).toThrow();
  });
});
