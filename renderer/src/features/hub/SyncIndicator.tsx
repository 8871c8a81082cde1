import { Badge, Button, Popover, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { formatDateTime, formatShortDateTime } from '../../shared/time';
import { logout, syncNow } from './thunks';
import { viewChosen } from './hubSlice';
import { RejectionList } from './RejectionList';

const DOT: Record<string, 'success' | 'warning' | 'default' | 'error'> = {
  online: 'success',
  offline: 'warning',
  signed_out: 'default',
  local_only: 'default',
};

/**
 * Always in the header: online or offline since when, what is still only on this desk, when the
 * desk last synced, and "sync now". Nothing here says "sent" while a change is only local.
 */
export function SyncIndicator() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { sync, syncing, session } = useAppSelector((s) => s.hub);
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const today = useAppSelector((s) => s.session.info?.today);
  if (!sync) return null;
  if (sync.state === 'local_only') {
    return (
      <Button className="header-btn" data-testid="hub-connect" onClick={() => dispatch(viewChosen('login'))}>
        {t('hub.connect')}
      </Button>
    );
  }
  const label =
    sync.state === 'offline' && sync.offlineSince
      ? t('sync.offlineSince', { time: formatDateTime(sync.offlineSince, zone) })
      : t(`sync.${sync.state}`);
  const waiting =
    sync.pendingOperations > 0 || sync.pendingUploads > 0
      ? t('sync.pending', { count: sync.pendingOperations, mb: sync.pendingMb.toFixed(2) })
      : t('sync.allSynced');
  const details = (
    <div className="sync-details" data-testid="sync-details">
      <div>{waiting}</div>
      <div>
        {sync.lastSyncedAt
          ? t('sync.lastSynced', { time: formatDateTime(sync.lastSyncedAt, zone) })
          : t('sync.never')}
      </div>
      {sync.rejectedOperations > 0 ? <RejectionList count={sync.rejectedOperations} /> : null}
      {sync.lastError ? (
        <div className="muted small">{t('sync.lastError', { message: sync.lastError })}</div>
      ) : null}
      {session?.user ? (
        <div className="sync-user">
          {t('hub.signedInAs', { name: session.user.displayName, role: t(`hub.roles.${session.user.role}`) })}
          <Button size="small" type="link" onClick={() => void dispatch(logout())}>
            {t('hub.logout')}
          </Button>
        </div>
      ) : null}
    </div>
  );
  return (
    <div className={`sync-indicator sync-${sync.state}`} data-testid="sync-indicator" data-state={sync.state}>
      <Popover content={details} trigger="click" placement="bottomRight">
        <button type="button" className="sync-summary">
          <Badge status={DOT[sync.state]} />
          <span data-testid="sync-state">{label}</span>
          <span className="sync-waiting" data-testid="sync-pending">
            · {waiting}
          </span>
          {sync.lastSyncedAt ? (
            <span className="sync-last">
              · {t('sync.lastSynced', { time: formatShortDateTime(sync.lastSyncedAt, zone, today) })}
            </span>
          ) : null}
        </button>
      </Popover>
      {sync.state !== 'signed_out' ? (
        <Tooltip
          title={
            sync.lastSyncedAt
              ? t('sync.lastSynced', { time: formatDateTime(sync.lastSyncedAt, zone) })
              : t('sync.never')
          }
        >
          <Button
            className="header-btn"
            size="small"
            loading={syncing}
            onClick={() => void dispatch(syncNow())}
            data-testid="sync-now"
          >
            {t('sync.now')}
          </Button>
        </Tooltip>
      ) : null}
    </div>
  );
}
