import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TaskSending } from '../../../../common/contract';
import { useAppSelector } from '../../app/hooks';
import { formatDateTime } from '../../shared/time';

/**
 * The legal effect of the task's electronic service as the hub judged it (common/domain/legalEffect.ts):
 * the rule applied, the facts it rests on with their times, the service date, and "presumed" when it is.
 */
export function LegalEffectPanel({ sending, delivered }: { sending: TaskSending; delivered: boolean }) {
  const { t } = useTranslation();
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const effect = sending.legalEffect;
  if (!effect) return null;
  const detailOf = (fact: (typeof effect.facts)[number]): string => {
    if (!fact.detail) return '';
    if (fact.kind === 'portal_event') return t(`effect.portal.${fact.detail}`, { defaultValue: fact.detail });
    if (fact.kind === 'consent_on_call' || fact.kind === 'address_confirmation')
      return t('task.sha256', { hash: fact.detail.slice(0, 8) });
    return fact.detail;
  };
  return (
    <Card size="small" className="task-card effect-card" title={t('effect.title')} data-testid="effect-panel">
      <div className="effect-head">
        {effect.effective ? (
          <Tag color={effect.basis === 'presumed' ? 'orange' : 'green'} data-testid="effect-state">
            {delivered ? `${t('status.delivered')} · ` : ''}
            {effect.basis === 'presumed' ? t('effect.presumed') : t('effect.effective')}
          </Tag>
        ) : (
          <Tag data-testid="effect-state">{t('effect.notYet')}</Tag>
        )}
        {effect.serviceDate ? (
          <span className="effect-date" data-testid="effect-date">
            {t('effect.serviceDate', { date: formatDateTime(effect.serviceDate, zone) })}
          </span>
        ) : null}
      </div>
      <p className="effect-rule" data-testid="effect-rule" data-rule={effect.rule}>
        {t(`effect.rule.${effect.rule}`)}
      </p>
      {effect.facts.length > 0 ? (
        <>
          <div className="field-label">{t('effect.restsOn')}</div>
          <ol className="effect-facts">
            {effect.facts.map((fact) => (
              <li key={`${fact.kind}:${fact.ref}`}>
                <time className="muted small">{formatDateTime(fact.at, zone)}</time>
                <span>
                  {t(`effect.fact.${fact.kind}`)}
                  {fact.channel ? ` · ${t(`send.channel.${fact.channel}`)}` : ''}
                </span>
                {fact.detail ? <span className="muted small">{detailOf(fact)}</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {effect.paperCopyOnRequest.offered ? (
        <div className="muted small" data-testid="effect-paper">
          {t('effect.paperCopy', { documents: effect.paperCopyOnRequest.documents.join('、') })}
        </div>
      ) : null}
    </Card>
  );
}
