import {
  METHODS,
  PARTY_KINDS,
  PRIORITIES,
  type Method,
  type PartyKind,
  type Priority,
} from '../domain/model';
import type { IntakeReasonCode } from './reasonCodes';
import { accept, reject, type FieldResult } from './result';

/**
 * Builds a parser for an enum that accepts its English values (any case) or Chinese labels.
 * A refusal carries `allowed` (every accepted spelling) and `labels` (the Chinese ones).
 */
function enumParser<T extends string>(
  code: IntakeReasonCode,
  values: readonly T[],
  labels: Readonly<Record<string, T>>,
  fallback: T,
): (raw: string) => FieldResult<T> {
  const lookup = new Map<string, T>(Object.entries(labels));
  for (const value of values) lookup.set(value, value);
  const allowed = [...values, ...Object.keys(labels)].join(', ');
  const reason = `must be one of ${allowed}`;
  const params = { allowed, labels: Object.keys(labels).join('、') };
  return (raw) => {
    const key = raw.trim();
    if (key === '') return accept(fallback);
    const value = lookup.get(key) ?? lookup.get(key.toLowerCase());
    return value === undefined ? reject(code, reason, { ...params }) : accept(value);
  };
}

export const parseMethod = enumParser<Method>(
  'method_unknown',
  METHODS,
  {
    电子送达: 'electronic',
    邮寄送达: 'postal',
    直接送达: 'in_person',
    外出送达: 'in_person',
    公告送达: 'announcement',
  },
  'electronic',
);

export const parsePriority = enumParser<Priority>(
  'priority_unknown',
  PRIORITIES,
  { 普通: 'normal', 加急: 'urgent' },
  'normal',
);

export const parsePartyKind = enumParser<PartyKind>(
  'party_kind_unknown',
  PARTY_KINDS,
  { 自然人: 'person', 法人: 'organization', 其他组织: 'organization', 非法人组织: 'organization' },
  'person',
);
