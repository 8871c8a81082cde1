import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskValue } from '../../../../common/contract';
import { callDesk } from '../../shared/call';

/** The changes the center refused for good, with its code: kept, never silently dropped. */
export function RejectionList({ count }: { count: number }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<DeskValue<'syncRejections'>>([]);
  useEffect(() => {
    let live = true;
    void callDesk((desk) => desk.syncRejections({})).then((answer) => {
      if (live && answer.ok) setRows(answer.value);
    });
    return () => {
      live = false;
    };
  }, [count]);
  return (
    <div className="sync-rejected" data-testid="sync-rejections">
      <div>{t('sync.rejected', { count })}</div>
      <ul>
        {rows.slice(0, 5).map((row) => (
          <li key={row.mutationId}>
            {t('sync.opKind')} {row.kind} · {t('sync.code')} {row.code}: {row.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
