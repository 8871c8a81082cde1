import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { INTAKE_REASON_CODES } from '../common/intake/reasonCodes';
import { en } from '../renderer/src/i18n/en';
import { zhCN } from '../renderer/src/i18n/zh-CN';

// The import report translates each rejected row by its code (`intakeReason.<code>`). Here, not in
// common/ (which may not import the renderer): every code needs a string in every locale.
const LOCALES = { 'zh-CN': zhCN, en } as const;
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
// The params that codes carry (see common/intake), by placeholder name.
const KNOWN_PARAMS = new Set(['max', 'idType', 'phone', 'index', 'allowed', 'labels', 'cells', 'expected']);

describe.each(Object.entries(LOCALES))('intakeReason strings in %s', (_locale, messages) => {
  const strings: Record<string, string> = messages.intakeReason;

  it.each(INTAKE_REASON_CODES)('has a string for %s', (code) => {
    expect(strings[code]?.trim()).toBeTruthy();
  });

  it('has no string for a code that does not exist', () => {
    expect(Object.keys(strings).sort()).toEqual([...INTAKE_REASON_CODES].sort());
  });

  it('interpolates only params that codes carry', () => {
    for (const text of Object.values(strings)) {
      for (const [, name] of text.matchAll(PLACEHOLDER)) expect(KNOWN_PARAMS).toContain(name);
    }
  });
});

describe('intakeReason through i18next', () => {
  it('fills in params as plain text', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: 'zh-CN',
      interpolation: { escapeValue: false },
    });
    expect(i18n.t('intakeReason.phone_invalid', { phone: '12345' })).toBe(
      '电话“12345”不是有效的手机或座机号码',
    );
    expect(i18n.t('intakeReason.too_long', { lng: 'en', max: 200 })).toBe('must be at most 200 characters');
    // A value that looks like i18next syntax is shown as written, never expanded.
    expect(i18n.t('intakeReason.phone_invalid', { lng: 'en', phone: '$t(intake.title) {{max}}' })).toBe(
      'phone "$t(intake.title) {{max}}": not a valid mobile or landline number',
    );
  });
});
