import type { ReactNode } from 'react';
import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { TaskDetail } from '../../../../common/contract';
import { DISPOSITIONS, METHODS, TASK_STATUSES, isOneOf } from '../../../../common/domain/model';
import { useAppSelector } from '../../app/hooks';
import { formatDateTime } from '../../shared/time';
import { CallFactsView } from './CallFactsView';
import { formatOffset, RecordingPlayer } from './RecordingPlayer';

type Attempt = TaskDetail['attempts'][number];
type Entry = TaskDetail['timeline'][number];

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function typeKey(type: string): string {
  return type
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function humanize(type: string): string {
  return type.replace(/[._:-]+/g, ' ').trim();
}

function valueLabel(
  t: TFunction,
  key: string,
  value: string | number | boolean,
  zone: string | undefined,
): string {
  if (typeof value === 'string') {
    if (isOneOf(TASK_STATUSES, value)) return t(`status.${value}`);
    if (isOneOf(DISPOSITIONS, value)) return t(`disposition.${value}`);
    if (isOneOf(METHODS, value) && (key === 'method' || key === 'from' || key === 'to'))
      return t(`method.${value}`);
    if (key === 'field') return t(`timeline.fieldNames.${value}`, { defaultValue: value });
    if (ISO_RE.test(value)) return formatDateTime(value, zone);
    return value.length > 60 ? `${value.slice(0, 60)}…` : value;
  }
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Title and summary of an audit event, for the types main writes; a generic rendering otherwise. */
function describe(t: TFunction, entry: Entry, zone: string | undefined): { title: string; summary: string } {
  const data = entry.data;
  const key = typeKey(entry.type);
  const generic = t(`timeline.types.${key}`, { defaultValue: humanize(entry.type) });
  if (key === 'task_transition') {
    const event = isRecord(data.event) ? data.event : {};
    const eventType = str(event.type);
    const parts: string[] = [];
    const from = str(data.from);
    const to = str(data.to);
    if (from && to)
      parts.push(`${valueLabel(t, 'status', from, zone)} → ${valueLabel(t, 'status', to, zone)}`);
    const reason = str(event.reason);
    if (reason) parts.push(t(`timeline.escalationReason.${reason}`, { defaultValue: reason }));
    const tracking = str(event.trackingNumber);
    if (tracking) parts.push(t('timeline.tracking', { number: tracking }));
    return {
      title: eventType ? t(`timeline.transition.${eventType}`, { defaultValue: generic }) : generic,
      summary: parts.join(' · '),
    };
  }
  if (key === 'call_outcome') {
    const parts: string[] = [];
    const disposition = str(data.disposition);
    if (disposition) parts.push(valueLabel(t, 'disposition', disposition, zone));
    const next = isRecord(data.nextStep) ? data.nextStep : null;
    const kind = next ? str(next.kind) : null;
    if (next && kind) {
      const time = str(next.at) ?? str(next.notBefore);
      const method = str(next.to);
      parts.push(
        t(`timeline.nextStep.${kind}`, {
          defaultValue: kind,
          time: time ? formatDateTime(time, zone) : '',
          method: method ? t(`method.${method}`, { defaultValue: method }) : '',
        }),
      );
    }
    return { title: generic, summary: parts.join(' · ') };
  }
  if (key === 'call_started' || key === 'call_ended') {
    const parts: string[] = [];
    const direction = str(data.direction);
    if (direction) parts.push(t(`timeline.call.directions.${direction}`, { defaultValue: direction }));
    if (typeof data.sipStatus === 'number')
      parts.push(`SIP ${data.sipStatus}${str(data.reason) ? ` ${str(data.reason)}` : ''}`);
    const hungUpBy = str(data.hungUpBy);
    if (hungUpBy) parts.push(t(`timeline.call.hungUpByValues.${hungUpBy}`, { defaultValue: hungUpBy }));
    if (data.connected === false) parts.push(t('timeline.call.noMedia'));
    const suggested = str(data.suggestedDisposition);
    if (suggested) parts.push(t('timeline.call.suggested', { disposition: t(`disposition.${suggested}`) }));
    return { title: generic, summary: parts.join(' · ') };
  }
  if (key.startsWith('recording_')) {
    const parts: string[] = [];
    const reason = str(data.reason);
    if (reason) parts.push(t(`timeline.recording.reasons.${reason}`, { defaultValue: reason }));
    if (typeof data.durationMs === 'number')
      parts.push(t('timeline.recording.duration', { time: formatOffset(data.durationMs) }));
    const hash = str(data.sha256) ?? str(data.rawSha256);
    if (hash) parts.push(t('task.sha256', { hash: hash.slice(0, 12) }));
    return { title: generic, summary: parts.join(' · ') };
  }
  if (key === 'phone_invalidated') {
    const reason = str(data.reason);
    return { title: generic, summary: reason ? valueLabel(t, 'disposition', reason, zone) : '' };
  }
  return { title: generic, summary: summarize(t, data, zone) };
}

/** A short, localized summary of an event's data: primitive values only, a few of them. */
function summarize(t: TFunction, data: Entry['data'], zone: string | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    if (key.endsWith('Id') || key === 'id' || /hash|sha256/i.test(key)) continue;
    parts.push(`${t(`timeline.data.${key}`, { defaultValue: key })}: ${valueLabel(t, key, value, zone)}`);
    if (parts.length >= 4) break;
  }
  return parts.join(' · ');
}

function AttemptItem(props: {
  attempt: Attempt;
  zone: string | undefined;
  stepTitles: Record<string, string>;
}) {
  const { attempt, zone, stepTitles } = props;
  const { t } = useTranslation();
  return (
    <li className="attempt" data-testid="attempt-entry" data-attempt-id={attempt.id}>
      <div className="entry-line">
        <Tag variant="outlined">{t(`attemptKind.${attempt.kind}`)}</Tag>
        <span className={`attempt-disposition${attempt.disposition ? ` disp-${attempt.disposition}` : ''}`}>
          {attempt.disposition ? t(`disposition.${attempt.disposition}`) : t('timeline.open')}
        </span>
        {attempt.phoneMasked ? <span className="muted">{attempt.phoneMasked}</span> : null}
        <span className="row-spacer" />
        <span className="entry-time">{formatDateTime(attempt.startedAt, zone)}</span>
      </div>
      <div className="entry-sub muted small">
        <span>{t('timeline.by', { actor: attempt.actor })}</span>
        {attempt.stepsCompleted.length > 0 ? (
          <span>{t('timeline.steps', { count: attempt.stepsCompleted.length })}</span>
        ) : null}
        {attempt.callbackAt ? (
          <span>{t('timeline.callback', { time: formatDateTime(attempt.callbackAt, zone) })}</span>
        ) : null}
      </div>
      {attempt.notes ? <div className="entry-notes">{attempt.notes}</div> : null}
      {attempt.call ? <CallFactsView call={attempt.call} zone={zone} /> : null}
      {attempt.recordings.map((recording) => (
        <RecordingPlayer key={recording.id} recording={recording} stepTitles={stepTitles} />
      ))}
    </li>
  );
}

function EventItem({ entry, zone }: { entry: Entry; zone: string | undefined }) {
  const { t } = useTranslation();
  const { title, summary } = describe(t, entry, zone);
  return (
    <li className="event" data-testid="timeline-entry" data-seq={entry.seq} data-type={entry.type}>
      <span className="entry-time">{formatDateTime(entry.at, zone)}</span>
      <span className="event-body">
        <span className="event-type">{title}</span>
        {summary ? <span className="muted small"> · {summary}</span> : null}
      </span>
      <span className="muted small event-actor">{entry.actor}</span>
    </li>
  );
}

/** A titled list with its count, or a muted line when it is empty. */
function TimelineSection(props: { title: string; count: number; empty: string; children: ReactNode }) {
  return (
    <>
      <h4 className="sub-title">
        {props.title} <span className="muted">{props.count}</span>
      </h4>
      {props.count === 0 ? <div className="muted small">{props.empty}</div> : props.children}
    </>
  );
}

export function Timeline({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const script = useAppSelector((s) => s.task.script);
  const stepTitles = Object.fromEntries(script.map((step) => [step.id, step.title]));
  const attempts = [...detail.attempts].sort((a, b) =>
    a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id - a.id,
  );
  const events = [...detail.timeline].sort((a, b) => b.seq - a.seq);
  return (
    <Card size="small" className="task-card" title={t('task.sections.timeline')}>
      <div data-testid="timeline" className="timeline">
        <TimelineSection
          title={t('timeline.attempts')}
          count={attempts.length}
          empty={t('timeline.noAttempts')}
        >
          <ul className="attempt-list">
            {attempts.map((a) => (
              <AttemptItem key={a.id} attempt={a} zone={zone} stepTitles={stepTitles} />
            ))}
          </ul>
        </TimelineSection>
        <TimelineSection title={t('timeline.events')} count={events.length} empty={t('timeline.noEvents')}>
          <ul className="event-list">
            {events.map((e) => (
              <EventItem key={e.seq} entry={e} zone={zone} />
            ))}
          </ul>
        </TimelineSection>
      </div>
    </Card>
  );
}
