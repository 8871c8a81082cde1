import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  REFUSAL_CODE_LIST,
  REFUSAL_CODES,
  refusalParamNames,
  readRefusal,
  refused,
  type DeskError,
  type RefusalCode,
} from '../common/contract';
import { TaskEventSchema } from '../common/domain/taskMachine';
import { en } from '../renderer/src/i18n/en';
import { zhCN } from '../renderer/src/i18n/zh-CN';
import { errorText, type Translate } from '../renderer/src/shared/errorText';

// Every refusal main can give is shown by its code (`refusal.<code>`), never by main's English
// message: each code needs a sentence in every locale that uses exactly the code's params.
const LOCALES = { 'zh-CN': zhCN, en } as const;
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const placeholders = (text: string) => [...new Set([...text.matchAll(PLACEHOLDER)].map(([, name]) => name))];
const TASK_EVENT_TYPES = TaskEventSchema.options.map((option) => option.shape.type.value);

describe.each(Object.entries(LOCALES))('refusal strings in %s', (_locale, messages) => {
  const strings: Record<string, string> = messages.refusal;

  it.each(REFUSAL_CODE_LIST)('has a sentence for %s using exactly its params', (code) => {
    expect(strings[code]?.trim()).toBeTruthy();
    expect(placeholders(strings[code]!).sort()).toEqual(refusalParamNames(code).sort());
  });

  it('has no sentence for a code that does not exist', () => {
    expect(Object.keys(strings).sort()).toEqual([...REFUSAL_CODE_LIST].sort());
  });

  it('names every task event a refusal may mention, and every error code', () => {
    expect(Object.keys(messages.taskAction).sort()).toEqual([...TASK_EVENT_TYPES].sort());
    expect(Object.keys(messages.deskError).sort()).toEqual([...ERROR_CODES].sort());
    for (const text of Object.values(messages.deskError)) expect(placeholders(text)).toEqual(['code']);
  });
});

describe('the registry', () => {
  it('lists each code once, as snake_case, with known param kinds', () => {
    for (const code of REFUSAL_CODE_LIST) expect(code).toMatch(/^[a-z]+(?:_[a-z0-9]+)*$/);
    expect(new Set(REFUSAL_CODE_LIST).size).toBe(REFUSAL_CODE_LIST.length);
  });

  it('reads back only a known code with exactly its params, each of its type', () => {
    const failure = refused('call_retry_spacing', { nextAllowedAt: '2026-11-23T02:30:00.000Z' }, 'too soon');
    expect(failure.code).toBe('refused');
    expect(readRefusal(failure.details)).toEqual({
      code: 'call_retry_spacing',
      params: { nextAllowedAt: '2026-11-23T02:30:00.000Z' },
    });
    expect(refused('task_not_found', { taskId: 9 }, 'no task 9').code).toBe('not_found');
    expect(refused('file_empty', {}, 'empty').code).toBe('bad_file');
    expect(readRefusal({ code: 'no_such_code', params: {} })).toBeNull();
    expect(readRefusal({ code: 'task_not_found', params: {} })).toBeNull();
    expect(readRefusal({ code: 'task_not_found', params: { taskId: '9' } })).toBeNull();
    expect(readRefusal({ code: 'task_not_found', params: { taskId: 9, extra: 1 } })).toBeNull();
    expect(readRefusal(['task_not_found'])).toBeNull();
    expect(readRefusal(undefined)).toBeNull();
  });
});

describe('what the desk shows for an error', () => {
  const i18n = i18next.createInstance();
  let t: (lng: 'zh-CN' | 'en') => Translate;
  beforeAll(async () => {
    await i18n.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: 'zh-CN',
      interpolation: { escapeValue: false },
    });
    t = (lng) => (key, options) => i18n.t(key, { ...options, lng });
  });
  const refusal = <C extends RefusalCode>(
    code: C,
    params: object,
    message = 'an English sentence',
  ): DeskError => ({
    code: REFUSAL_CODES[code].error,
    message,
    details: { code, params },
  });

  it('shows a refusal in the desk’s language with its params by kind', () => {
    const zone = 'Asia/Shanghai';
    expect(
      errorText(refusal('callback_in_past', { callbackAt: '2026-11-23T01:00:00.000Z' }), zone, t('zh-CN')),
    ).toBe('回拨时间 2026-11-23 09:00 已经过去，请填写将来的时间');
    expect(errorText(refusal('task_not_open', { status: 'closed' }), zone, t('zh-CN'))).toBe(
      '任务当前为“已结案”，不能再拨打或登记通话结果',
    );
    expect(errorText(refusal('task_moved_method', { method: 'postal' }), zone, t('zh-CN'))).toBe(
      '任务已转为邮寄送达，电话联系已结束',
    );
    expect(
      errorText(
        refusal('transition_not_allowed', { event: 'record_consent', status: 'consented' }),
        zone,
        t('en'),
      ),
    ).toBe('Cannot record consent while the task is Consented');
  });

  it('fills every code’s sentence in both locales, leaving no placeholder and no English message', () => {
    const sample = (kind: string) =>
      kind === 'number' ? 7 : kind === 'instant' ? '2026-11-23T02:00:00.000Z' : 'x';
    for (const code of REFUSAL_CODE_LIST) {
      const kinds: Record<string, string> = REFUSAL_CODES[code].params;
      const params = Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, sample(kind)]));
      for (const lng of ['zh-CN', 'en'] as const) {
        const text = errorText(refusal(code, params, 'MAIN SAID THIS'), 'Asia/Shanghai', t(lng));
        expect(text, `${code} in ${lng}`).not.toMatch(/\{\{|MAIN SAID THIS|^refusal\./);
      }
    }
  });

  it('never shows main’s message for an error without a known refusal: a generic sentence with the code', () => {
    const zh = t('zh-CN');
    expect(errorText({ code: 'internal', message: 'internal error; see the desk log' }, undefined, zh)).toBe(
      '工作台内部错误，请查看日志（代码 internal）',
    );
    expect(
      errorText(
        { code: 'invalid_request', message: 'invalid params', details: ['taskId: expected number'] },
        undefined,
        zh,
      ),
    ).toBe('请求不符合格式，未做任何更改（代码 invalid_request）');
    // A newer main's refusal this desk does not know yet: its code, not its sentence.
    expect(
      errorText(
        {
          code: 'refused',
          message: 'the recording is too short',
          details: { code: 'recording_too_short', params: {} },
        },
        undefined,
        zh,
      ),
    ).toBe('该操作未被允许（代码 recording_too_short）');
    expect(
      errorText(
        { code: 'internal', message: 'connection to the desk was lost', details: { local: 'disconnected' } },
        undefined,
        zh,
      ),
    ).toBe(zhCN.errors.disconnected);
  });
});
