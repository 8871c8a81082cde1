import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MessageStatusView, TaskSending } from '../../../../common/contract';
import { useAppSelector } from '../../app/hooks';
import { formatShortDateTime } from '../../shared/time';

/** The way a message goes, after "queued" on this desk; `failed` leaves it with a reason. */
const STEPS = ['accepted', 'sent', 'delivered', 'opened', 'verified', 'confirmed'] as const;
type Step = 'queued' | (typeof STEPS)[number];

/** When a message reached a step: its first event of that kind (a view or download is a verified read). */
function stepTime(message: MessageStatusView, step: Step): string | null {
  const kinds = step === 'verified' ? ['verified', 'viewed', 'downloaded'] : [step];
  return message.events.find((e) => kinds.includes(e.kind))?.at ?? null;
}

function Steps({ reached, times }: { reached: number; times: (string | null)[] }) {
  const { t } = useTranslation();
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const today = useAppSelector((s) => s.session.info?.today);
  const all: Step[] = ['queued', ...STEPS];
  return (
    <ol className="message-steps">
      {all.map((step, i) => (
        <li key={step} className={i <= reached ? 'done' : undefined} data-step={step}>
          <span>{t(`messages.status.${step}`)}</span>
          {times[i] ? (
            <time className="muted small">{formatShortDateTime(times[i]!, zone, today)}</time>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * The task's messages, live: the sends still queued on this desk, then each message as the hub
 * last reported it, step by step with its times, or failed with the reason.
 */
export function MessagesSection({ sending }: { sending: TaskSending }) {
  const { t } = useTranslation();
  const queued = sending.sends.filter((s) => s.state === 'queued');
  if (queued.length === 0 && sending.messages.length === 0) return null;
  return (
    <Card
      size="small"
      className="task-card messages-card"
      title={`${t('messages.title')} · ${queued.reduce((n, s) => n + s.channels.length, 0) + sending.messages.length}`}
      data-testid="messages-section"
    >
      <ul className="message-list">
        {queued.flatMap((send) =>
          send.channels.map((channel) => (
            <li
              key={`${send.sendId}:${channel}`}
              className="message-row"
              data-testid="message-row"
              data-status="queued"
            >
              <div className="message-head">
                <strong>{t(`send.channel.${channel}`)}</strong>
                <Tag color="gold">{t('messages.status.queued')}</Tag>
                <span className="row-spacer" />
                <span className="muted small">{t('messages.notYetSent')}</span>
              </div>
              <Steps reached={0} times={[send.createdAt]} />
            </li>
          )),
        )}
        {sending.messages.map((m) => {
          const failed = m.status === 'failed';
          const step: Step = m.status === 'sending' || m.status === 'failed' ? 'accepted' : m.status;
          const reached = STEPS.indexOf(step as (typeof STEPS)[number]) + 1;
          return (
            <li key={m.id} className="message-row" data-testid="message-row" data-status={m.status}>
              <div className="message-head">
                <strong>{t(`send.channel.${m.channel}`)}</strong>
                <span className="masked">{m.addressMasked}</span>
                <Tag color={failed ? 'red' : m.status === 'confirmed' ? 'green' : 'blue'}>
                  {t(`messages.status.${m.status}`)}
                </Tag>
                <span className="row-spacer" />
                <span className="muted small">{t('send.checkCodeShort', { code: m.checkCode })}</span>
              </div>
              {failed ? (
                <div className="message-failure" data-testid="message-failure">
                  {t('messages.failedBecause', { reason: m.failureReason ?? '' })}
                </div>
              ) : null}
              <Steps
                reached={failed ? 0 : reached}
                times={[m.createdAt, ...STEPS.map((step) => stepTime(m, step))]}
              />
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
