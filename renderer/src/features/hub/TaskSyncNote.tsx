import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TaskDetail, TaskSyncState } from '../../../../common/contract';
import { callDesk } from '../../shared/call';
import { useAppSelector } from '../../app/hooks';

/**
 * Where the open task stands with the center: who holds it now when the lead gave it to someone
 * else (the desk's own facts stay readable), and changes that are only on this desk so far.
 */
export function TaskSyncNote({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const [state, setState] = useState<TaskSyncState | null>(null);
  // Re-read after every sync: the pending count and the holder change then.
  const lastSynced = useAppSelector((s) => s.hub.sync?.lastSyncedAt ?? null);
  const pendingTotal = useAppSelector((s) => s.hub.sync?.pendingOperations ?? 0);
  const role = useAppSelector((s) => s.hub.session?.user?.role);
  useEffect(() => {
    let live = true;
    void callDesk((desk) => desk.taskSyncState({ taskId: detail.id })).then((answer) => {
      if (live && answer.ok) setState(answer.value);
    });
    return () => {
      live = false;
    };
  }, [detail.id, detail.status, lastSynced, pendingTotal]);
  if (!state || state.hubId === null) return null;
  return (
    <>
      {role && role !== 'specialist' ? (
        <div className="muted task-sync-holder" data-testid="task-holder">
          {state.holder ? t('sync.holder', { name: state.holder.name }) : t('sync.pool')}
          {state.completedAfterReassignment ? ` · ${t('sync.flagged')}` : ''}
        </div>
      ) : !state.heldByMe ? (
        <Alert
          type="warning"
          showIcon
          className="task-sync-note"
          data-testid="task-held-by-other"
          title={state.holder ? t('sync.heldByOther', { name: state.holder.name }) : t('sync.returnedToPool')}
        />
      ) : null}
      {state.pendingOperations > 0 ? (
        <Alert
          type="info"
          showIcon
          className="task-sync-note"
          data-testid="task-pending"
          title={t('sync.taskPending', { count: state.pendingOperations })}
        />
      ) : null}
    </>
  );
}
