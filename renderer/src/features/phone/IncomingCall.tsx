import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { IconPhone } from '../../shared/icons';
import { answerIncoming, declineIncoming } from './phoneController';

/** A party calling back: who it is (matched to tasks by number), answer or decline. */
export function IncomingCall() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const incoming = useAppSelector((s) => s.phone.incoming);
  if (!incoming) return null;
  return (
    <section
      className="incoming-call"
      data-testid="incoming-call"
      role="alertdialog"
      aria-label={t('phone.incoming.title')}
    >
      <div className="incoming-head">
        <span className="incoming-icon">
          <IconPhone />
        </span>
        <div>
          <div className="incoming-title">{t('phone.incoming.title')}</div>
          <div className="incoming-number" data-testid="incoming-number">
            {incoming.numberMasked}
          </div>
        </div>
      </div>
      <div className="incoming-matches" data-testid="incoming-matches">
        {incoming.matching ? <div className="muted">{t('phone.incoming.matching')}</div> : null}
        {!incoming.matching && incoming.matches.length === 0 ? (
          <div className="muted">{t('phone.incoming.noMatch')}</div>
        ) : null}
        {incoming.matches.slice(0, 3).map((match) => (
          <div
            className="incoming-match"
            key={`${match.taskId}:${match.phoneId}`}
            data-testid="incoming-match"
          >
            {t('phone.incoming.match', { name: match.partyName, caseNumber: match.caseNumber })}
            {match.open ? null : <span className="muted small"> {t('phone.incoming.closedTask')}</span>}
          </div>
        ))}
      </div>
      <div className="incoming-actions">
        <Button data-testid="incoming-decline" danger onClick={() => void dispatch(declineIncoming())}>
          {t('phone.incoming.decline')} <kbd>Alt+H</kbd>
        </Button>
        <Button data-testid="incoming-answer" type="primary" onClick={() => void dispatch(answerIncoming())}>
          {t('phone.incoming.answer')} <kbd>Alt+A</kbd>
        </Button>
      </div>
    </section>
  );
}
