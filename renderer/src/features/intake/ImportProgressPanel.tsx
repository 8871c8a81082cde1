import { Button, Progress } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { cancelImport } from './thunks';

function timeLeft(t: TFunction, ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? t('importProgress.minutes', { m, s }) : t('importProgress.seconds', { s });
}

/**
 * The running import, beside the work (not a modal: the queue, search and task view stay usable):
 * rows read, accepted, duplicates, rejected, time left, a bar and Cancel.
 */
export function ImportProgressPanel() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const { busy, fileName, progress, cancelling } = useAppSelector((s) => s.intake);
  if (!busy) return null;
  const n = (value: number) => value.toLocaleString(i18n.language);
  const phase = progress?.phase ?? 'reading';
  const counting = progress !== null && progress.totalRows > 0 && phase !== 'queued' && phase !== 'reading';
  const percent = counting ? Math.floor((progress.rowsRead / progress.totalRows) * 100) : 0;
  let status: string;
  if (cancelling) status = t('importProgress.cancelling');
  else if (phase === 'queued') status = t('importProgress.queued');
  else if (!counting) status = t('importProgress.reading');
  else if (progress.etaMs === null) status = t('importProgress.estimating');
  else status = t('importProgress.timeLeft', { time: timeLeft(t, progress.etaMs) });

  return (
    <section className="import-progress" data-testid="import-progress" aria-live="polite">
      <div className="import-progress-head">
        <span className="import-progress-title">{t('importProgress.title', { name: fileName ?? '' })}</span>
        <Button
          size="small"
          danger
          data-testid="import-cancel"
          loading={cancelling}
          disabled={cancelling}
          onClick={() => void dispatch(cancelImport())}
        >
          {cancelling ? t('importProgress.cancelling') : t('importProgress.cancel')}
        </Button>
      </div>
      <Progress
        percent={percent}
        status={cancelling ? 'exception' : 'active'}
        size="small"
        showInfo={counting}
      />
      <div className="import-progress-rows" data-testid="import-progress-rows">
        {counting
          ? t('importProgress.rows', { read: n(progress.rowsRead), total: n(progress.totalRows) })
          : '\u00a0'}
      </div>
      <div className="import-progress-counts small">
        <span>
          {t('importProgress.accepted')}{' '}
          <b data-testid="import-progress-accepted">{n(progress?.accepted ?? 0)}</b>
        </span>
        <span>
          {t('importProgress.duplicates')}{' '}
          <b data-testid="import-progress-duplicates">{n(progress?.duplicates ?? 0)}</b>
        </span>
        <span className={progress && progress.rejected > 0 ? 'bad' : undefined}>
          {t('importProgress.rejected')}{' '}
          <b data-testid="import-progress-rejected">{n(progress?.rejected ?? 0)}</b>
        </span>
      </div>
      <div className="import-progress-foot muted small">
        <span data-testid="import-progress-eta">{status}</span>
        <span>{t('importProgress.hint')}</span>
      </div>
    </section>
  );
}
