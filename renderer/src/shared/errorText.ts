import { z } from 'zod';
import {
  REFUSAL_CODES,
  readRefusal,
  type DeskError,
  type Refusal,
  type RefusalParamKind,
} from '../../../common/contract';
import { formatDateTime } from './time';

/** i18next's t, passed in so that this module runs (and is tested) without the page's i18n. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Details the renderer itself puts on a failure it made (the desk could not be reached). */
export const LocalFailure = z.object({ local: z.enum(['disconnected', 'not_connected', 'exception']) });
export type LocalFailure = z.infer<typeof LocalFailure>;

const LOCAL_TEXT: Record<LocalFailure['local'], string> = {
  disconnected: 'errors.disconnected',
  not_connected: 'errors.notConnected',
  exception: 'deskError.internal',
};

const CodeOnly = z.object({ code: z.string().max(64) });

/**
 * What the desk shows for a failed call, in its own language. Main's `message` is English and is
 * never shown: a refusal is translated by its code (`refusal.<code>`) with its params; anything
 * else gets a generic message for its error code, naming the code so support can find it.
 */
export function errorText(error: DeskError, zone: string | undefined, t: Translate): string {
  const refusal = readRefusal(error.details);
  if (refusal) return refusalText(refusal, zone, t);
  const local = LocalFailure.safeParse(error.details);
  if (local.success) return t(LOCAL_TEXT[local.data.local], { code: error.code });
  // A refusal this desk does not know (a newer main): still its code, never its sentence.
  const coded = CodeOnly.safeParse(error.details);
  return t(`deskError.${error.code}`, { code: coded.success ? coded.data.code : error.code });
}

/** A refusal's sentence with its params shown by kind: times in the desk's zone, names translated. */
export function refusalText(refusal: Refusal, zone: string | undefined, t: Translate): string {
  const kinds: Readonly<Record<string, RefusalParamKind>> = REFUSAL_CODES[refusal.code].params;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(refusal.params as Record<string, string | number>)) {
    params[name] = shownParam(kinds[name] ?? 'text', value, zone, t);
  }
  return t(`refusal.${refusal.code}`, params);
}

function shownParam(
  kind: RefusalParamKind,
  value: string | number,
  zone: string | undefined,
  t: Translate,
): string | number {
  const text = String(value);
  switch (kind) {
    case 'instant':
      return formatDateTime(text, zone);
    case 'status':
      return t(`status.${text}`, { defaultValue: text });
    case 'method':
      return t(`method.${text}`, { defaultValue: text });
    case 'taskEvent':
      return t(`taskAction.${text}`, { defaultValue: text });
    case 'number':
    case 'date':
    case 'text':
      return value;
  }
}
