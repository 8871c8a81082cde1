import { memo } from 'react';
import type { TFunction } from 'i18next';
import { useAppSelector } from '../../app/hooks';
import { selectRowAt } from './queueSlice';
import { STATUS_COLOR } from '../../shared/statusColors';
import { deadlineState, formatShortDateTime } from '../../shared/time';
import { IconClock, IconPhone } from '../../shared/icons';

interface Props {
  index: number;
  /** Passed down by the list (not useTranslation per row): rows mount by the dozen while scrolling. */
  t: TFunction;
  today: string | undefined;
  zone: string | undefined;
}

export const QueueRowView = memo(function QueueRowView({ index, t, today, zone }: Props) {
  const row = useAppSelector((s) => selectRowAt(s, index));
  const isSelected = useAppSelector((s) => s.queue.selected === index);
  const isOpen = useAppSelector((s) => row !== undefined && s.task.openId === row.id);

  if (!row) {
    return (
      <div
        id={`queue-row-${index}`}
        data-index={index}
        className={`queue-row placeholder${isSelected ? ' selected' : ''}`}
        role="option"
        aria-selected={isSelected}
      >
        <div className="skeleton-line w60" />
        <div className="skeleton-line w80" />
        <div className="skeleton-line w40" />
      </div>
    );
  }

  const due = deadlineState(row.deadline, today);
  const classes = [
    'queue-row',
    isSelected ? 'selected' : '',
    isOpen ? 'open' : '',
    row.priority === 'urgent' ? 'urgent' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div
      id={`queue-row-${index}`}
      className={classes}
      data-testid="queue-row"
      data-task-id={row.id}
      data-index={index}
      role="option"
      aria-selected={isSelected}
    >
      <div className="row-line row-main">
        {row.priority === 'urgent' ? <span className="urgent-mark">{t('priority.urgent')}</span> : null}
        <span className="party-name" title={row.partyName}>
          {row.partyName}
        </span>
        <span className="party-role">{t(`role.${row.partyRole}`, { defaultValue: row.partyRole })}</span>
        <span className="row-spacer" />
        {/* A plain pill, not antd's Tag: rows mount by the dozen while scrolling. */}
        <span className={`status-pill pill-${STATUS_COLOR[row.status]}`}>{t(`status.${row.status}`)}</span>
      </div>
      <div className="row-line row-case">
        <span className="case-number" title={row.caseNumber}>
          {row.caseNumber}
        </span>
        <span className="court" title={row.court}>
          {row.court}
        </span>
        <span className="row-spacer" />
        <span className="method">
          {t(`method.${row.method}`)} · {t('queue.attempts', { count: row.attempts })}
        </span>
      </div>
      <div className="row-line row-meta">
        <span className={`deadline due-${due}`}>
          {row.deadline ? t('queue.deadline', { date: row.deadline }) : t('queue.noDeadline')}
          {due === 'overdue' ? <span className="due-flag">{t('queue.overdue')}</span> : null}
          {due === 'today' ? <span className="due-flag">{t('queue.dueToday')}</span> : null}
        </span>
        {row.callbackAt ? (
          <span className="callback">
            <IconClock />
            {t('queue.callback', { time: formatShortDateTime(row.callbackAt, zone, today) })}
          </span>
        ) : null}
        <span className="row-spacer" />
        <span className="phone">
          <IconPhone />
          {row.phoneMasked ?? t('queue.noPhone')}
        </span>
      </div>
    </div>
  );
});
