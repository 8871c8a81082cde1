import { useEffect, useState } from 'react';
import type { TaskSending } from '../../../../common/contract';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { desk } from '../../bridge';
import { callDesk } from '../../shared/call';
import { openTask } from '../task/thunks';

/**
 * The open task's send step, messages and legal effect, read from main again whenever main says
 * they changed (`sendsChanged`: queued, posted, pulled) and after every sync. A pulled change may
 * also move the task (sent, delivered): the task view is then read again too.
 */
export function useTaskSending(taskId: number): TaskSending | null {
  const dispatch = useAppDispatch();
  const [sending, setSending] = useState<TaskSending | null>(null);
  const [version, setVersion] = useState(0);
  const lastSynced = useAppSelector((s) => s.hub.sync?.lastSyncedAt ?? null);

  useEffect(
    () =>
      desk().on('sendsChanged', (payload) => {
        if (payload.taskId !== taskId) return;
        setVersion((v) => v + 1);
        void dispatch(openTask(taskId));
      }),
    [taskId, dispatch],
  );
  useEffect(() => {
    let live = true;
    void callDesk((api) => api.taskSending({ taskId })).then((answer) => {
      if (live && answer.ok) setSending(answer.value);
    });
    return () => {
      live = false;
    };
  }, [taskId, version, lastSynced]);
  return sending;
}
