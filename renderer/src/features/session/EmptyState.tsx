import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { loadDemo } from './thunks';
import { openImportPicker } from '../../shared/importPicker';
import { IconInbox, IconUpload } from '../../shared/icons';

export function EmptyState() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const demoLoading = useAppSelector((s) => s.session.demoLoading);
  const importing = useAppSelector((s) => s.intake.busy);
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <div className="empty-icon">
        <IconInbox />
      </div>
      <h1 id="empty-title">{t('empty.title')}</h1>
      <p>{t('empty.description')}</p>
      <div className="empty-actions">
        <Button
          type="primary"
          size="large"
          data-testid="demo-load"
          loading={demoLoading}
          onClick={() => void dispatch(loadDemo())}
        >
          {t('empty.demo')}
        </Button>
        <Button size="large" icon={<IconUpload />} loading={importing} onClick={openImportPicker}>
          {t('empty.import')}
        </Button>
      </div>
    </section>
  );
}
