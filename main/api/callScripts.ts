import zhTemplate from '../../assets/scripts/call-script.zh-CN.json';
import enTemplate from '../../assets/scripts/call-script.en.json';
import type { Locale, ScriptStep, TaskDetail } from '../../common/contract';
import {
  parseCallScriptTemplate,
  renderCallScript,
  type CallScriptTemplate,
} from '../../common/domain/callScript';

// Templates are parsed once at start: a broken template fails the desk's start, not a call.
const TEMPLATES: Record<Locale, CallScriptTemplate> = {
  'zh-CN': parseCallScriptTemplate(zhTemplate),
  en: parseCallScriptTemplate(enTemplate),
};

/** The call script for one task, with the task's and the specialist's values filled in. */
export function renderScriptFor(
  task: TaskDetail,
  locale: Locale,
  desk: { specialist: { name: string }; callerNumber: string },
): ScriptStep[] {
  return renderCallScript(TEMPLATES[locale], {
    court: task.case.court,
    caseNumber: task.case.number,
    cause: task.case.cause,
    partyName: task.party.name,
    partyRole: task.party.role,
    documents: task.documents.map((d) => d.title),
    specialistName: desk.specialist.name,
    callerNumber: desk.callerNumber,
    deadline: task.deadline ?? undefined,
    address: task.party.addresses[0]?.text,
    idKnown: task.party.idKnown,
  });
}
