import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TaskDetail } from '../../../../common/contract';
import { useAppSelector } from '../../app/hooks';
import { METHOD_COLOR, STATUS_COLOR } from '../../shared/statusColors';
import { deadlineState, formatDateTime } from '../../shared/time';
import { IconClock } from '../../shared/icons';
import { TaskSyncNote } from '../hub/TaskSyncNote';
import { ProofNote } from './ProofNote';

export function TaskHeader({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const today = useAppSelector((s) => s.session.info?.today);
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const due = deadlineState(detail.deadline, today);
  return (
    <header className="task-head">
      <div className="task-head-row">
        <h2 className="task-title">{detail.party.name}</h2>
        <span className="muted">
          {t(`role.${detail.party.role}`, { defaultValue: detail.party.role })} ·{' '}
          {t(`partyKind.${detail.party.kind}`)}
        </span>
        <Tag data-testid="task-status" color={STATUS_COLOR[detail.status]} variant="filled">
          {t(`status.${detail.status}`)}
        </Tag>
        <Tag color={METHOD_COLOR[detail.method]} variant="outlined">
          {t(`method.${detail.method}`)}
        </Tag>
        {detail.priority === 'urgent' ? (
          <Tag color="red" variant="solid">
            {t('priority.urgent')}
          </Tag>
        ) : (
          <Tag variant="outlined">{t('priority.normal')}</Tag>
        )}
      </div>
      <div className="task-head-row task-head-meta">
        <span>
          <span className="meta-label">{t('task.caseNumber')}</span>
          <span className="case-number">{detail.case.number}</span>
        </span>
        <span className={`deadline due-${due}`}>
          <span className="meta-label">{t('task.deadline')}</span>
          {detail.deadline ?? t('common.none')}
          {due === 'overdue' ? <span className="due-flag">{t('queue.overdue')}</span> : null}
          {due === 'today' ? <span className="due-flag">{t('queue.dueToday')}</span> : null}
        </span>
        {detail.callbackAt ? (
          <span className="callback-display" data-testid="callback-display">
            <IconClock />
            {t('task.callback', { time: formatDateTime(detail.callbackAt, zone) })}
          </span>
        ) : null}
        {detail.nextAttemptAt ? (
          <span className="muted">
            {t('task.nextAttempt', { time: formatDateTime(detail.nextAttemptAt, zone) })}
          </span>
        ) : null}
        <span className="row-spacer" />
        <span className="muted small">
          {t('task.source', { system: detail.sourceSystem, id: detail.sourceTaskId })}
        </span>
      </div>
      <TaskSyncNote detail={detail} />
      <ProofNote detail={detail} />
    </header>
  );
}
