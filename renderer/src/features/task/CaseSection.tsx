import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TaskDetail } from '../../../../common/contract';

export function CaseSection({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const c = detail.case;
  const rows: Array<[string, string]> = [
    [t('task.fields.court'), c.court],
    [t('task.fields.department'), c.department],
    [t('task.fields.cause'), c.cause],
    [t('task.fields.judge'), c.judge],
    [t('task.fields.clerk'), c.clerk],
  ];
  return (
    <Card size="small" title={t('task.sections.case')} className="task-card">
      <dl className="kv">
        {rows.map(([label, value]) => (
          <div className="kv-row" key={label}>
            <dt>{label}</dt>
            <dd>{value || t('common.none')}</dd>
          </div>
        ))}
        {detail.notes ? (
          <div className="kv-row">
            <dt>{t('task.fields.notes')}</dt>
            <dd className="pre">{detail.notes}</dd>
          </div>
        ) : null}
      </dl>
    </Card>
  );
}

export function DocumentsSection({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={`${t('task.sections.documents')} · ${detail.documents.length}`}
      className="task-card"
    >
      {detail.documents.length === 0 ? (
        <div className="muted">{t('task.noDocuments')}</div>
      ) : (
        <ol className="doc-list">
          {detail.documents.map((doc) => (
            <li key={doc.id}>
              <span className="doc-title">{doc.title}</span>
              {doc.kind && doc.kind !== doc.title ? <span className="muted small">{doc.kind}</span> : null}
              <span className="row-spacer" />
              {doc.pages !== null ? (
                <span className="muted small">{t('task.pages', { count: doc.pages })}</span>
              ) : null}
              {doc.sha256 ? (
                <span className="hash" title={doc.sha256}>
                  {t('task.sha256', { hash: doc.sha256.slice(0, 8) })}
                </span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
