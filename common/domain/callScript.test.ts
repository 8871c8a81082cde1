import { describe, expect, it } from 'vitest';
import enJson from '../../assets/scripts/call-script.en.json';
import zhJson from '../../assets/scripts/call-script.zh-CN.json';
import {
  CALL_SCRIPT_STEP_IDS,
  parseCallScriptTemplate,
  placeholderProblems,
  renderCallScript,
  type ScriptValues,
} from './callScript';

const zh = parseCallScriptTemplate(zhJson);
const en = parseCallScriptTemplate(enJson);

const VALUES: ScriptValues = {
  court: '内蒙古自治区乌海市海南区人民法院',
  caseNumber: '(2024)内0303民初1234号',
  cause: '民间借贷纠纷',
  partyName: '张三',
  partyRole: '被告',
  documents: ['起诉状副本', '应诉通知书', '举证通知书', '传票'],
  specialistName: '李四',
  callerNumber: '0473-1234567',
  deadline: '2026年12月1日',
  address: '内蒙古自治区乌海市海南区某街道1号',
};

const allText = (steps: { title: string; lines: string[]; notes: string[] }[]) =>
  steps.flatMap((step) => [step.title, ...step.lines, ...step.notes]).join('\n');

describe('templates', () => {
  it('both load, with the five steps in order', () => {
    for (const template of [zh, en]) {
      expect(template.steps.map((step) => step.id)).toEqual([...CALL_SCRIPT_STEP_IDS]);
    }
  });

  it('reject an unknown placeholder or stray braces at load', () => {
    const broken = structuredClone(zhJson);
    broken.steps[0]!.lines[0] = '您好，这里是{{courtName}}';
    expect(() => parseCallScriptTemplate(broken)).toThrow(/unknown placeholder \{\{courtName\}\}/);
    expect(placeholderProblems('{{court}} {{ partyName')).toEqual(['unbalanced {{ or }}']);
    expect(placeholderProblems('{{ court }}')).toEqual(['unknown placeholder {{ court }}']);
  });

  it('reject steps out of order or missing', () => {
    const reordered = structuredClone(enJson);
    reordered.steps.reverse();
    expect(() => parseCallScriptTemplate(reordered)).toThrow(/steps must be, in order/);
    const missing = structuredClone(enJson);
    missing.steps.pop();
    expect(() => parseCallScriptTemplate(missing)).toThrow(/steps must be, in order/);
  });

  it('never ask for or read the full ID number', () => {
    expect(zh.steps[0]!.lines.join()).toContain('后四位');
    expect(en.steps[0]!.lines.join()).toContain('last four digits');
  });
});

describe('renderCallScript', () => {
  it('fills every placeholder in Chinese', () => {
    const steps = renderCallScript(zh, VALUES);
    expect(steps.map((step) => step.id)).toEqual([...CALL_SCRIPT_STEP_IDS]);
    const text = allText(steps);
    expect(text).not.toContain('{{');
    expect(text).not.toContain('【未填写】');
    expect(steps[0]!.lines[0]).toBe(
      '您好，这里是内蒙古自治区乌海市海南区人民法院集约送达中心，我是送达专员李四，现在使用本院号码0473-1234567与您联系。',
    );
    expect(text).toContain('(2024)内0303民初1234号民间借贷纠纷一案，您是本案的被告。');
    expect(text).toContain('起诉状副本、应诉通知书、举证通知书、传票');
    expect(text).toContain('2026年12月1日');
    expect(text).toContain('内蒙古自治区乌海市海南区某街道1号');
  });

  it('fills every placeholder in English', () => {
    const steps = renderCallScript(en, { ...VALUES, partyName: 'Zhang San', partyRole: 'defendant' });
    const text = allText(steps);
    expect(steps).toHaveLength(5);
    expect(text).not.toContain('{{');
    expect(text).not.toContain('[not set]');
    expect(text).toContain('Am I speaking with Zhang San?');
    expect(text).toContain('you are the defendant.');
    expect(text).toContain('起诉状副本, 应诉通知书, 举证通知书, 传票');
  });

  it('marks missing values visibly, with the template’s marker or the caller’s', () => {
    const { address: _address, documents: _documents, ...rest } = VALUES;
    const zhText = allText(renderCallScript(zh, { ...rest, documents: [] }));
    expect(zhText).toContain('本院登记的您的送达地址是：【未填写】。');
    expect(zhText).toContain('需要向您送达以下法律文书：【未填写】。');
    expect(allText(renderCallScript(en, { ...rest, cause: '  ' }))).toContain('([not set])');
    expect(allText(renderCallScript(en, {}, '<?>'))).toContain('Am I speaking with <?>?');
  });

  it('asks for another identity check when the ID number is unknown, in both locales', () => {
    for (const [template, lastFour, address] of [
      [zh, '后四位', '内蒙古自治区乌海市海南区某街道1号'],
      [en, 'last four digits', '内蒙古自治区乌海市海南区某街道1号'],
    ] as const) {
      const known = renderCallScript(template, { ...VALUES, idKnown: true });
      const unknown = renderCallScript(template, { ...VALUES, idKnown: false });
      expect(known[0]!.lines.join()).toContain(lastFour);
      const identity = unknown[0]!;
      expect(identity.id).toBe('identity');
      expect(identity.title).toBe(known[0]!.title);
      // What is read aloud asks for the address and the case's other party, never ID digits.
      expect(identity.lines.join()).not.toContain(lastFour);
      expect(identity.lines.join()).not.toContain(address);
      expect(identity.lines.join()).toContain(VALUES.cause);
      // The specialist's note has the address on file to compare with.
      expect(identity.notes.join()).toContain(address);
      // The other steps do not change.
      expect(unknown.slice(1)).toEqual(known.slice(1));
    }
    expect(renderCallScript(zh, VALUES)).toEqual(renderCallScript(zh, { ...VALUES, idKnown: true }));
  });

  it('requires an idUnknown wording on the identity step', () => {
    const broken = structuredClone(zhJson) as { steps: { idUnknown?: unknown }[] };
    delete broken.steps[0]!.idUnknown;
    expect(() => parseCallScriptTemplate(broken)).toThrow(/identity step needs an idUnknown wording/);
  });

  it('shows a value containing braces as typed, without expanding it', () => {
    const steps = renderCallScript(en, { ...VALUES, partyName: '{{court}}' });
    expect(steps[0]!.lines[1]).toBe('Am I speaking with {{court}}?');
  });
});
