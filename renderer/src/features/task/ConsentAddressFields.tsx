import { useTranslation } from 'react-i18next';
import type { TaskDetail } from '../../../../common/contract';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { consentAddressSet, selectDraft } from './taskSlice';

/**
 * The addresses the party confirmed in the script's consent step: the mobile for SMS (default:
 * the number called, when it is a mobile) and the e-mail (default: the one on file). Each becomes
 * a consent fact and a channel of the send step.
 */
export function ConsentAddressFields({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const draft = useAppSelector(selectDraft);
  const mobiles = detail.party.phones.filter((p) => p.kind === 'mobile' && !p.invalid);
  const called = draft.call?.phoneId ?? draft.phoneId;
  const defaultPhone = mobiles.find((p) => p.id === called)?.id ?? null;
  const phoneValue = draft.consentPhoneId === 'none' ? null : (draft.consentPhoneId ?? defaultPhone);
  const email = draft.consentEmail ?? detail.party.email ?? '';
  return (
    <fieldset className="consent-address" data-testid="consent-address">
      <legend className="field-label">{t('consent.title')}</legend>
      <label className="inline-field">
        <span className="field-label">{t('consent.mobile')}</span>
        <select
          className="desk-select"
          data-testid="consent-phone"
          value={phoneValue ?? ''}
          onChange={(e) =>
            dispatch(consentAddressSet({ phoneId: e.target.value ? Number(e.target.value) : 'none' }))
          }
        >
          <option value="">{t('consent.noMobile')}</option>
          {mobiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.masked}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span className="field-label">{t('consent.email')}</span>
        <input
          type="email"
          className="desk-input"
          data-testid="consent-email"
          value={email}
          placeholder={t('consent.emailPlaceholder')}
          onChange={(e) => dispatch(consentAddressSet({ email: e.target.value }))}
        />
      </label>
      <div className="muted small">{t('consent.hint')}</div>
    </fieldset>
  );
}
