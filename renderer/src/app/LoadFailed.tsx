import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** The desk could not load its session: why, and a way to try again. */
export function LoadFailed({ error, onRetry }: { error: string | null; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={t('app.loadFailed')}
      subTitle={error}
      extra={
        <Button type="primary" onClick={onRetry}>
          {t('app.retry')}
        </Button>
      }
    />
  );
}
