import { useEffect, useState } from 'react';
import { Button, Card, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { DISPOSITIONS, isOneOf } from '../../../../common/domain/model';
import type { TaskDetail } from '../../../../common/contract';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { elapsed } from '../../shared/time';
import { IconPhone } from '../../shared/icons';
import { callbackAtSet, dispositionSet, notesSet, outcomePhoneSet, selectDraft } from './taskSlice';
import { ConsentAddressFields } from './ConsentAddressFields';
import { submitOutcome } from './thunks';

function CallTimer({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return <span className="call-timer">{elapsed(since, now)}</span>;
}

export function OutcomeForm({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const draft = useAppSelector(selectDraft);
  const submitting = useAppSelector((s) => s.task.submitting);
  const revealedPhones = useAppSelector((s) => s.task.revealed.phones);
  const phones = detail.party.phones;
  const callPhone = draft.call ? phones.find((p) => p.id === draft.call?.phoneId) : undefined;
  const phoneLabel = (id: number) => {
    const phone = phones.find((p) => p.id === id);
    if (!phone) return '';
    const number = revealedPhones[id] ?? phone.masked;
    return phone.extension ? `${number} ${t('task.extension', { extension: phone.extension })}` : number;
  };
  const selectedPhone = draft.phoneId ?? phones.find((p) => !p.invalid)?.id ?? null;

  // With no call started, the outcome still names the number it concerns.
  useEffect(() => {
    if (!draft.call && draft.phoneId === null && selectedPhone !== null)
      dispatch(outcomePhoneSet(selectedPhone));
  }, [draft.call, draft.phoneId, selectedPhone, dispatch]);

  return (
    <Card size="small" className="task-card outcome-card" title={t('task.sections.outcome')}>
      {/* noValidate: the thunk and main validate (main's clock, not the browser's, says what "future" is). */}
      <form
        className="outcome-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void dispatch(submitOutcome());
        }}
      >
        {draft.call ? (
          <div className="call-bar active" role="status">
            <span className="call-pulse" aria-hidden />
            <IconPhone />
            <span>{t('outcome.callInProgress', { phone: callPhone ? phoneLabel(callPhone.id) : '' })}</span>
            <span className="row-spacer" />
            <CallTimer since={draft.call.startedAt} />
          </div>
        ) : (
          <div className="call-bar">
            <span className="muted">{t('outcome.noCall')}</span>
            {phones.length > 0 ? (
              <>
                <span className="row-spacer" />
                <label className="inline-field">
                  <span className="field-label">{t('outcome.phone')}</span>
                  <select
                    className="desk-select"
                    value={selectedPhone ?? ''}
                    onChange={(e) =>
                      dispatch(outcomePhoneSet(e.target.value ? Number(e.target.value) : null))
                    }
                  >
                    {phones.map((p) => (
                      <option key={p.id} value={p.id}>
                        {phoneLabel(p.id)}
                        {p.invalid ? ` (${t('task.invalidPhone')})` : ''}
                      </option>
                    ))}
                  </select>
                </label>
              </>
            ) : null}
          </div>
        )}

        <label className="field">
          <span className="field-label">{t('outcome.disposition')}</span>
          <select
            className={`desk-select wide${draft.disposition ? '' : ' empty'}`}
            data-testid="disposition-select"
            value={draft.disposition}
            onChange={(e) =>
              dispatch(dispositionSet(isOneOf(DISPOSITIONS, e.target.value) ? e.target.value : ''))
            }
          >
            <option value="">{t('outcome.choose')}</option>
            {DISPOSITIONS.map((d) => (
              <option key={d} value={d} data-testid={`disposition-option-${d}`}>
                {t(`disposition.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="disposition-hint muted small">
          {draft.disposition ? t(`dispositionHint.${draft.disposition}`) : '\u00a0'}
        </div>

        {draft.disposition === 'callback_requested' ? (
          <label className="field">
            <span className="field-label">{t('outcome.callbackAt')}</span>
            <input
              type="datetime-local"
              className="desk-input"
              data-testid="callback-at"
              value={draft.callbackAt}
              onChange={(e) => dispatch(callbackAtSet(e.target.value))}
            />
          </label>
        ) : null}

        {draft.disposition === 'connected_consented' ? <ConsentAddressFields detail={detail} /> : null}

        <label className="field">
          <span className="field-label">{t('outcome.notes')}</span>
          <Input.TextArea
            data-testid="outcome-notes"
            value={draft.notes}
            onChange={(e) => dispatch(notesSet(e.target.value))}
            placeholder={t('outcome.notesPlaceholder')}
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={2000}
          />
        </label>

        <div className="outcome-actions">
          {draft.steps.length > 0 ? (
            <span className="muted small">{t('outcome.stepsDone', { count: draft.steps.length })}</span>
          ) : null}
          <span className="row-spacer" />
          <Button type="primary" htmlType="submit" data-testid="outcome-submit" loading={submitting}>
            {t('outcome.submit')}
            <kbd className="btn-kbd">{t('outcome.submitShortcut')}</kbd>
          </Button>
        </div>
      </form>
    </Card>
  );
}
