import { Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { Alert, Spin } from 'antd';
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
import { ImportProgressPanel } from '../features/intake/ImportProgressPanel';
import { progressReceived } from '../features/intake/intakeSlice';
import { PhoneBinding } from '../features/phone/PhoneBinding';
import { PhoneSettings } from '../features/phone/PhoneSettings';
import { CallPanel } from '../features/phone/CallPanel';
import { IncomingCall } from '../features/phone/IncomingCall';
import { StorageBanner } from '../features/phone/StorageBanner';
import { LoginScreen } from '../features/hub/LoginScreen';
import { LeadConsole } from '../features/lead/LeadConsole';
import { loadHubSession } from '../features/hub/thunks';
import { syncStatusLoaded } from '../features/hub/hubSlice';
import { TaskPlaceholder } from '../features/task/TaskPlaceholder';
import { lazyView } from '../shared/lazyView';
import { markStartup } from '../shared/startupMarks';

// Views the queue does not need to show are separate chunks, loaded when needed or once the
// queue is up (see bench/RESULTS.md: the first load's size is start-up time).
const TaskPane = lazyView(() => import('../features/task/TaskPane').then((m) => m.TaskPane));
const EmptyState = lazyView(() => import('../features/session/EmptyState').then((m) => m.EmptyState));
const ImportReportModal = lazyView(() =>
  import('../features/intake/ImportReportModal').then((m) => m.ImportReportModal),
);
const LoadFailed = lazyView(() => import('./LoadFailed').then((m) => m.LoadFailed));

/** Mounts once `wanted` first holds, and stays mounted (so a closing modal can animate). */
function useOnceTrue(wanted: boolean): boolean {
  const [once, setOnce] = useState(wanted);
  if (wanted && !once) setOnce(true);
  return once || wanted;
}

function TaskArea() {
  const placeholder = (
    <section className="task-pane">
      <TaskPlaceholder />
    </section>
  );
  const used = useOnceTrue(useAppSelector((s) => s.task.openId !== null));
  if (!used) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <TaskPane />
    </Suspense>
  );
}

function ImportReport() {
  const used = useOnceTrue(useAppSelector((s) => s.intake.open));
  return used ? (
    <Suspense fallback={null}>
      <ImportReportModal />
    </Suspense>
  ) : null;
}

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
  const hub = useAppSelector((s) => s.hub);
  useGlobalShortcuts();

  useEffect(() => {
    markStartup('firstRender');
    const offSync = desk().on('syncChanged', (status) => {
      dispatch(syncStatusLoaded(status));
      // Signed out by the hub (token expired or revoked): show the login screen again.
      if (status.state === 'signed_out') void dispatch(loadHubSession());
    });
    let timer: number | undefined;
    // Bursts of changes (an import) arrive as many events: refresh once they settle.
    const offChanged = desk().on('queueChanged', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        void dispatch(loadSession());
        dispatch(refreshQueue());
      }, 120);
    });
    const offProgress = desk().on('intakeProgress', (progress) => dispatch(progressReceived(progress)));
    const offReconnected = onReconnected(() => {
      void dispatch(loadSession());
      void dispatch(loadHubSession());
      dispatch(refreshQueue());
      const openId = store.getState().task.openId;
      if (openId !== null) void dispatch(openTask(openId));
    });
    return () => {
      window.clearTimeout(timer);
      offChanged();
      offProgress();
      offSync();
      offReconnected();
    };
  }, [dispatch, store]);

  // Once the queue is up, the task view's chunk is fetched while the specialist looks at it.
  const queueShown = useAppSelector((s) => s.queue.total !== null);
  useEffect(() => {
    if (!queueShown) return;
    const idle = window.requestIdleCallback(() => void TaskPane.preload(), { timeout: 2000 });
    return () => window.cancelIdleCallback(idle);
  }, [queueShown]);

  let body;
  if (session.info === null && session.status === 'failed') {
    body = (
      <Suspense fallback={null}>
        <LoadFailed error={session.error} onRetry={() => void dispatch(loadSession())} />
      </Suspense>
    );
  } else if ((hub.session?.hubUrl && !hub.session.user) || hub.view === 'login') {
    body = <LoginScreen />;
  } else if (session.info === null || hub.session === null) {
    body = (
      <div className="desk-center">
        <Spin size="large" />
        <div className="muted">{t('app.loading')}</div>
      </div>
    );
  } else if (hub.view === 'lead' && hub.session.user && hub.session.user.role !== 'specialist') {
    body = <LeadConsole />;
  } else if (session.info.taskCount === 0) {
    body = (
      <Suspense fallback={null}>
        <EmptyState />
      </Suspense>
    );
  } else {
    body = (
      <>
        <QueuePane />
        <TaskArea />
      </>
    );
  }

  return (
    <div className="desk">
      <Header />
      <ConnectionBanner />
      <StorageBanner />
      <main className="desk-main">{body}</main>
      <ImportProgressPanel />
      <ImportReport />
      <PhoneBinding />
      <PhoneSettings />
      <div className="phone-dock">
        <IncomingCall />
        <CallPanel />
      </div>
    </div>
  );
}
