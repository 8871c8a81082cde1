import { useEffect, useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StorageStatus } from '../../../../common/contract';
import { desk } from '../../bridge';
import { callDesk } from '../../shared/call';

/** Recordings need disk space: main says when it runs low, well before recording would fail. */
export function StorageBanner() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StorageStatus | null>(null);
  useEffect(() => {
    let live = true;
    void callDesk((api) => api.storageStatus({})).then((answer) => {
      if (live && answer.ok) setStatus(answer.value);
    });
    const off = desk().on('storageChanged', setStatus);
    return () => {
      live = false;
      off();
    };
  }, []);
  if (!status || status.level === 'ok') return null;
  return (
    <Alert
      className="desk-banner"
      data-testid="storage-banner"
      type={status.level === 'critical' ? 'error' : 'warning'}
      banner
      showIcon
      title={t(`phone.storage.${status.level}`, {
        minutes: status.minutesLeft,
        gb: (status.freeBytes / 1024 ** 3).toFixed(1),
      })}
    />
  );
}
