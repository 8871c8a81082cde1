import { useEffect, useSyncExternalStore } from 'react';
import { Alert, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useStore } from 'react-redux';
import { useAppDispatch, useAppSelector } from './hooks';
import type { RootState } from './store';
import { Header } from './Header';
import { useGlobalShortcuts } from './useGlobalShortcuts';
import { bridgeStatus, desk, onBridgeStatus, onReconnected } from '../bridge';
import { loadSession } from '../features/session/thunks';
import { refreshQueue } from '../features/queue/thunks';
import { openTask } from '../features/task/thunks';
import { QueuePane } from '../features/queue/QueuePane';
import { TaskPane } from '../features/task/TaskPane';
import { EmptyState } from '../features/session/EmptyState';
import { ImportReportModal } from '../features/intake/ImportReportModal';
import { markStartup } from '../shared/startupMarks';

function ConnectionBanner() {
  const { t } = useTranslation();
  const status = useSyncExternalStore(onBridgeStatus, bridgeStatus);
  if (status === 'open' || status === 'connecting') return null;
  return (
    <Alert
      className="desk-banner"
      type={status === 'no_token' ? 'error' : 'warning'}
      banner
      showIcon
      title={t(`conn.${status}`)}
    />
  );
}

export function Shell() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const store = useStore<RootState>();
  const session = useAppSelector((s) => s.session);
  useGlobalShortcuts();

  useEffect(() => {
    markStartup('firstRender');
    let timer: number | undefined;
    // Bursts of changes (an import) arrive as many events: refresh once they settle.
    const offChanged = desk().on('queueChanged', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        void dispatch(loadSession());
        dispatch(refreshQueue());
      }, 120);
    });
    const offReconnected = onReconnected(() => {
      void dispatch(loadSession());
      dispatch(refreshQueue());
      const openId = store.getState().task.openId;
      if (openId !== null) void dispatch(openTask(openId));
    });
    return () => {
      window.clearTimeout(timer);
      offChanged();
      offReconnected();
    };
  }, [dispatch, store]);

  let body;
  if (session.info === null && session.status === 'failed') {
    body = (
      <Result
        status="warning"
        title={t('app.loadFailed')}
        subTitle={session.error}
        extra={
          <Button type="primary" onClick={() => void dispatch(loadSession())}>
            {t('app.retry')}
          </Button>
        }
      />
    );
  } else if (session.info === null) {
    body = (
      <div className="desk-center">
        <Spin size="large" />
        <div className="muted">{t('app.loading')}</div>
      </div>
    );
  } else if (session.info.taskCount === 0) {
    body = <EmptyState />;
  } else {
    body = (
      <>
        <QueuePane />
        <TaskPane />
      </>
    );
  }

  return (
    <div className="desk">
      <Header />
      <ConnectionBanner />
      <main className="desk-main">{body}</main>
      <ImportReportModal />
    </div>
  );
}
