import { useEffect } from 'react';
import { Alert, Button, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { loadScript, openTask } from './thunks';
import { TaskHeader } from './TaskHeader';
import { CaseSection, DocumentsSection } from './CaseSection';
import { PartySection } from './PartySection';
import { ScriptSection } from './ScriptSection';
import { OutcomeForm } from './OutcomeForm';
import { Timeline } from './Timeline';
import { TaskPlaceholder } from './TaskPlaceholder';
import type { TaskDetail } from '../../../../common/contract';
import { isOpen } from '../../../../common/domain/taskMachine';
import { useTaskSending } from '../send/useTaskSending';
import { SendStep } from '../send/SendStep';
import { MessagesSection } from '../send/MessagesSection';
import { LegalEffectPanel } from '../send/LegalEffectPanel';

export function TaskPane() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const openId = useAppSelector((s) => s.task.openId);
  const detail = useAppSelector((s) => s.task.detail);
  const error = useAppSelector((s) => s.task.error);

  // The script is rendered by main in the desk's language: fetch it again when that changes.
  useEffect(() => {
    if (openId !== null) void dispatch(loadScript());
  }, [i18n.language, openId, dispatch]);

  let content;
  if (openId === null) content = <TaskPlaceholder />;
  else if (!detail && error)
    content = (
      <Result
        status="warning"
        title={error}
        extra={
          <Button type="primary" onClick={() => void dispatch(openTask(openId))}>
            {t('app.retry')}
          </Button>
        }
      />
    );
  else if (!detail)
    content = (
      <div className="task-loading" aria-busy="true">
        <Skeleton active paragraph={{ rows: 2 }} />
        <Skeleton active paragraph={{ rows: 6 }} />
      </div>
    );
  else content = <TaskView detail={detail} key={detail.id} />;

  return <section className="task-pane">{content}</section>;
}

function TaskView({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  // The send step, the messages and the legal effect share one read of the task's sending.
  const sending = useTaskSending(detail.id);
  const checkCode = sending?.sends.findLast((s) => s.checkCode)?.checkCode ?? null;
  // Electronic service only: once the task moved to another method, its messages and effect stay.
  const canSend =
    sending !== null && sending.hubTask && sending.consent !== null && detail.method === 'electronic';
  return (
    <article className="task-view" data-testid="task-view" data-task-id={detail.id}>
      <TaskHeader detail={detail} />
      <div className="task-grid">
        <div className="task-col">
          <PartySection detail={detail} />
          <CaseSection detail={detail} />
          <DocumentsSection detail={detail} />
          {sending ? (
            <LegalEffectPanel
              sending={sending}
              delivered={detail.status === 'delivered' || detail.status === 'proof_issued'}
            />
          ) : null}
          {sending ? <MessagesSection sending={sending} /> : null}
          <Timeline detail={detail} />
        </div>
        <div className="task-col task-col-work">
          <ScriptSection checkCode={checkCode} />
          {canSend ? <SendStep taskId={detail.id} sending={sending} checkCode={checkCode} /> : null}
          {isOpen(detail.status) ? (
            <OutcomeForm detail={detail} />
          ) : (
            // Served (or closed): no more call outcomes; the script and the send step stay readable
            // (the check code is read out while the call is still on).
            <Alert type="success" showIcon message={t('task.workDone')} data-testid="task-work-done" />
          )}
        </div>
      </div>
    </article>
  );
}
