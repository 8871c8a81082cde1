import { useEffect, useState } from 'react';
import { Button, Popover } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { IconPhone } from '../../shared/icons';
import { settingsOpened } from './phoneSlice';
import { retryRegistration } from './phoneController';

/** The registration status, always in the header: registered / connecting / failed with the reason. */
export function PhoneStatus() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const registration = useAppSelector((s) => s.phone.registration);
  const source = useAppSelector((s) => s.phone.setup?.source ?? 'none');
  const demoUnavailable = useAppSelector((s) => s.phone.setup?.demoUnavailable ?? null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (registration.retryAt === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [registration.retryAt]);

  const state = registration.state;
  const reason = registration.reason ? t(`phone.reason.${registration.reason}`) : null;
  const retrySeconds =
    registration.retryAt === null ? null : Math.max(0, Math.ceil((registration.retryAt - now) / 1000));
  const details = (
    <div className="phone-status-details" data-testid="phone-status-details">
      {reason ? <div>{reason}</div> : null}
      {registration.detail ? <div className="muted small">{registration.detail}</div> : null}
      {retrySeconds !== null ? (
        <div className="muted small">{t('phone.retryIn', { seconds: retrySeconds })}</div>
      ) : null}
      {source === 'demo' ? <div className="muted small">{t('phone.demoHint')}</div> : null}
      {demoUnavailable ? (
        <div className="muted small" data-testid="phone-demo-unavailable">
          {t('phone.demoUnavailable', { reason: demoUnavailable })}
        </div>
      ) : null}
      <div className="phone-status-actions">
        {state === 'failed' ? (
          <Button size="small" onClick={() => retryRegistration()}>
            {t('phone.retryNow')}
          </Button>
        ) : null}
        <Button size="small" type="primary" onClick={() => dispatch(settingsOpened(true))}>
          {t('phone.openSettings')}
        </Button>
      </div>
    </div>
  );

  return (
    <Popover content={details} title={t(`phone.status.${state}`)} trigger="hover" placement="bottomRight">
      <Button
        className={`header-btn phone-status phone-status-${state}`}
        data-testid="phone-status"
        data-state={state}
        icon={<IconPhone />}
        onClick={() => dispatch(settingsOpened(true))}
      >
        <span className="phone-status-dot" aria-hidden />
        {t(`phone.status.${state}`)}
        {state === 'failed' && reason ? <span className="phone-status-reason">· {reason}</span> : null}
        {source === 'demo' ? (
          <span className="phone-status-demo" data-testid="phone-demo-badge">
            {t('phone.demo')}
          </span>
        ) : null}
      </Button>
    </Popover>
  );
}
