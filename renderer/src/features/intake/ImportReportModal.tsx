import { Alert, Button, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IntakeReport } from '../../../../common/contract';
import { isIntakeReasonCode } from '../../../../common/intake/reasonCodes';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { reportClosed } from './intakeSlice';

const MAX_ROWS_SHOWN = 1000;
const MAX_DUPLICATES_SHOWN = 60;

export function ImportReportModal() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const { open, report, fileError, fileName } = useAppSelector((s) => s.intake);
  const close = () => dispatch(reportClosed());
  const rejectedRows = report ? new Set(report.rejected.map((r) => r.row)).size : 0;
  // A code this build knows is shown in the desk's language; otherwise the English reason.
  const reasonText = (r: IntakeReport['rejected'][number]): string =>
    isIntakeReasonCode(r.code)
      ? t(`intakeReason.${r.code}`, { ...r.params, defaultValue: r.reason })
      : r.reason;

  return (
    <Modal
      open={open}
      title={t('intake.title')}
      onCancel={close}
      width={760}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={close} autoFocus>
          {t('common.close')}
        </Button>
      }
    >
      <div data-testid="import-report" className="import-report">
        {fileName ? (
          <div className="muted small report-file">{t('intake.fileName', { name: fileName })}</div>
        ) : null}
        {fileError ? (
          <Alert
            type="error"
            showIcon
            title={t('intake.badFile')}
            description={<span data-testid="import-error">{fileError}</span>}
          />
        ) : null}
        {report?.cancelled ? (
          <Alert
            className="report-cancelled"
            type="warning"
            showIcon
            title={t('intake.cancelledTitle')}
            description={
              <span data-testid="import-cancelled">
                {t('intake.cancelled', {
                  processed: report.rowsProcessed.toLocaleString(i18n.language),
                  total: report.totalRows.toLocaleString(i18n.language),
                })}
              </span>
            }
          />
        ) : null}
        {report ? (
          <>
            <div className="report-stats">
              <div className="stat ok">
                <div className="stat-label">{t('intake.accepted')}</div>
                <div className="stat-value" data-testid="import-accepted">
                  {report.accepted}
                </div>
              </div>
              <div className="stat">
                <div className="stat-label">{t('intake.duplicates')}</div>
                <div className="stat-value" data-testid="import-duplicates">
                  {report.duplicates.length}
                </div>
              </div>
              <div className={`stat${rejectedRows > 0 ? ' bad' : ''}`}>
                <div className="stat-label">{t('intake.rejected')}</div>
                <div className="stat-value" data-testid="import-rejected-count">
                  {rejectedRows}
                  {report.rejected.length > rejectedRows ? (
                    <span className="stat-extra">
                      {t('intake.problems', { count: report.rejected.length })}
                    </span>
                  ) : null}
                </div>
              </div>
            </div>
            {report.duplicates.length > 0 ? (
              <div className="report-duplicates small" data-testid="import-duplicate-rows">
                {t('intake.duplicates')} ·{' '}
                {t('intake.duplicateRows', {
                  rows:
                    report.duplicates.slice(0, MAX_DUPLICATES_SHOWN).join(', ') +
                    (report.duplicates.length > MAX_DUPLICATES_SHOWN ? ' …' : ''),
                })}
              </div>
            ) : null}
            {report.rejected.length === 0 ? (
              <div className="muted">
                {t(report.cancelled ? 'intake.noneRejectedSoFar' : 'intake.noneRejected')}
              </div>
            ) : (
              <>
                <h4 className="sub-title">{t('intake.rejectedTitle')}</h4>
                <div className="report-table-wrap">
                  <table className="report-table">
                    <thead>
                      <tr>
                        <th className="num">{t('intake.row')}</th>
                        <th>{t('intake.field')}</th>
                        <th>{t('intake.reason')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.rejected.slice(0, MAX_ROWS_SHOWN).map((r, i) => (
                        <tr key={`${r.row}-${r.field}-${i}`} data-testid="import-rejected-row">
                          <td className="num">{r.row}</td>
                          <td>
                            {t(`intake.fields.${r.field}`, { defaultValue: r.field })}
                            {t(`intake.fields.${r.field}`, { defaultValue: r.field }) !== r.field ? (
                              <span className="muted small"> {r.field}</span>
                            ) : null}
                          </td>
                          <td>{reasonText(r)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {report.rejected.length > MAX_ROWS_SHOWN ? (
                  <div className="muted small">… {report.rejected.length - MAX_ROWS_SHOWN}</div>
                ) : null}
              </>
            )}
          </>
        ) : null}
      </div>
    </Modal>
  );
}
