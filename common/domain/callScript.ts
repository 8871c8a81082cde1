// Call scripts (话术): templates with {{placeholders}}, rendered with one task's facts.
// Templates live in assets/scripts/*.json; callers load the JSON and parse it here.
import { z } from 'zod';
import { isOneOf } from './model';

/** The steps of every call, in the order the specialist goes through them. */
export const CALL_SCRIPT_STEP_IDS = [
  'identity',
  'recording_notice',
  'case_documents',
  'consent_address',
  'closing',
] as const;
export type CallScriptStepId = (typeof CALL_SCRIPT_STEP_IDS)[number];

export const SCRIPT_PLACEHOLDERS = [
  'court',
  'caseNumber',
  'cause',
  'partyName',
  'partyRole',
  'documents',
  'specialistName',
  'callerNumber',
  'deadline',
  'address',
] as const;
export type ScriptPlaceholder = (typeof SCRIPT_PLACEHOLDERS)[number];

/**
 * Values for one task; `documents` are titles, joined with the template's separator. `idKnown`
 * false (no ID number on file) picks a step's `idUnknown` wording where it has one.
 */
export type ScriptValues = Partial<Record<Exclude<ScriptPlaceholder, 'documents'>, string>> & {
  documents?: readonly string[];
  idKnown?: boolean;
};

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Problems with the placeholders in one text: unknown names and stray braces. */
export function placeholderProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [, name = ''] of text.matchAll(PLACEHOLDER)) {
    if (!isOneOf(SCRIPT_PLACEHOLDERS, name)) problems.push(`unknown placeholder {{${name}}}`);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('unbalanced {{ or }}');
  return problems;
}

const ScriptTextSchema = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    for (const message of placeholderProblems(text)) ctx.addIssue({ code: 'custom', message });
  });

const ScriptWordingSchema = z.object({
  /** What the specialist says. */
  lines: z.array(ScriptTextSchema).min(1),
  /** Guidance for the specialist, not read aloud. */
  notes: z.array(ScriptTextSchema).default([]),
});

const CallScriptStepSchema = ScriptWordingSchema.extend({
  id: z.enum(CALL_SCRIPT_STEP_IDS),
  title: ScriptTextSchema,
  /** The wording used instead when the party's ID number is unknown. */
  idUnknown: ScriptWordingSchema.optional(),
});

export const CallScriptTemplateSchema = z.object({
  locale: z.string().min(1),
  version: z.number().int().min(1),
  /** Joins document titles: "、" in Chinese, ", " in English. */
  documentSeparator: z.string().min(1),
  /** Shown where a value is missing unless the caller passes its own. */
  missingMarker: z.string().min(1),
  steps: z
    .array(CallScriptStepSchema)
    .refine((steps) => steps.map((s) => s.id).join() === CALL_SCRIPT_STEP_IDS.join(), {
      message: `steps must be, in order: ${CALL_SCRIPT_STEP_IDS.join(', ')}`,
    })
    // Without an ID number there are no last digits to ask for: identity needs another check.
    .refine((steps) => steps.find((s) => s.id === 'identity')?.idUnknown !== undefined, {
      message: 'the identity step needs an idUnknown wording',
    }),
});
export type CallScriptTemplate = z.infer<typeof CallScriptTemplateSchema>;

/** Validates template JSON at load; throws a ZodError naming the step and problem. */
export function parseCallScriptTemplate(json: unknown): CallScriptTemplate {
  return CallScriptTemplateSchema.parse(json);
}

export type RenderedStep = { id: CallScriptStepId; title: string; lines: string[]; notes: string[] };

export function renderCallScript(
  template: CallScriptTemplate,
  values: ScriptValues,
  missingMarker: string = template.missingMarker,
): RenderedStep[] {
  const valueOf = (name: string): string | undefined => {
    if (name === 'documents') {
      const titles = (values.documents ?? []).map((title) => title.trim()).filter(Boolean);
      return titles.length > 0 ? titles.join(template.documentSeparator) : undefined;
    }
    const value = values[name as Exclude<ScriptPlaceholder, 'documents'>]?.trim();
    return value ? value : undefined;
  };
  // One pass: a value that itself contains "{{…}}" is shown as typed, never expanded.
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, name: string) => valueOf(name) ?? missingMarker);
  return template.steps.map((step) => {
    const wording = values.idKnown === false && step.idUnknown ? step.idUnknown : step;
    return {
      id: step.id,
      title: fill(step.title),
      lines: wording.lines.map(fill),
      notes: wording.notes.map(fill),
    };
  });
}
