import { Alert, Button, Card, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TaskDetail } from '../../../../common/contract';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { IconEye, IconEyeOff, IconPhone } from '../../shared/icons';
import { refusalDismissed, revealHidden, selectDraft } from './taskSlice';
import { revealId, revealPhone, startCall } from './thunks';

function RevealButton({
  revealed,
  loading,
  onReveal,
  onHide,
  testId,
}: {
  revealed: boolean;
  loading: boolean;
  onReveal: () => void;
  onHide: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Button
      type="link"
      size="small"
      className="reveal-btn"
      data-testid={testId}
      loading={loading}
      icon={revealed ? <IconEyeOff /> : <IconEye />}
      onClick={revealed ? onHide : onReveal}
    >
      {revealed ? t('common.hide') : t('common.reveal')}
    </Button>
  );
}

export function PartySection({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const revealed = useAppSelector((s) => s.task.revealed);
  const revealing = useAppSelector((s) => s.task.revealing);
  const starting = useAppSelector((s) => s.task.starting);
  const refusal = useAppSelector((s) => s.task.refusal);
  const activeCall = useAppSelector((s) => selectDraft(s).call);
  const party = detail.party;

  return (
    <Card size="small" title={t('task.sections.party')} className="task-card">
      {refusal ? (
        <Alert
          className="call-refusal"
          data-testid="call-refused"
          type="error"
          showIcon
          title={t('task.refusedTitle')}
          description={refusal}
          closable={{ onClose: () => dispatch(refusalDismissed()) }}
        />
      ) : null}
      <div className="phones">
        {party.phones.length === 0 ? <div className="muted">{t('task.noPhones')}</div> : null}
        {party.phones.map((phone) => {
          const value = revealed.phones[phone.id];
          const onCall = activeCall?.phoneId === phone.id;
          return (
            <div
              className={`phone-row${phone.invalid ? ' invalid' : ''}${onCall ? ' on-call' : ''}`}
              key={phone.id}
            >
              <Tag variant="outlined" className="phone-kind">
                {t(`phoneKind.${phone.kind}`)}
              </Tag>
              <span className="phone-number" data-testid={`phone-${phone.id}`}>
                {value ?? phone.masked}
              </span>
              {phone.extension ? (
                <Tooltip title={t('task.extensionHint')}>
                  <span className="phone-extension" data-testid={`phone-extension-${phone.id}`}>
                    {t('task.extension', { extension: phone.extension })}
                  </span>
                </Tooltip>
              ) : null}
              {phone.invalid ? <Tag color="default">{t('task.invalidPhone')}</Tag> : null}
              <RevealButton
                testId={`reveal-phone-${phone.id}`}
                revealed={value !== undefined}
                loading={revealing === `phone:${phone.id}`}
                onReveal={() => void dispatch(revealPhone(phone.id))}
                onHide={() => dispatch(revealHidden({ field: 'phone', phoneId: phone.id }))}
              />
              <span className="row-spacer" />
              <Tooltip title={onCall ? t('task.calling') : undefined}>
                <Button
                  type={onCall ? 'default' : 'primary'}
                  className={onCall ? 'call-btn on-call' : 'call-btn'}
                  data-testid={`call-start-${phone.id}`}
                  icon={<IconPhone />}
                  loading={starting === phone.id}
                  disabled={
                    phone.invalid ||
                    (starting !== null && starting !== phone.id) ||
                    (activeCall !== null && !onCall)
                  }
                  onClick={() => {
                    if (!onCall) void dispatch(startCall(phone.id));
                  }}
                >
                  {onCall ? t('task.calling') : t('task.call')}
                </Button>
              </Tooltip>
            </div>
          );
        })}
      </div>
      <dl className="kv">
        <div className="kv-row">
          <dt>{t('task.fields.kind')}</dt>
          <dd>{t(`partyKind.${party.kind}`)}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('task.fields.role')}</dt>
          <dd>{t(`role.${party.role}`, { defaultValue: party.role })}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('task.fields.idType')}</dt>
          <dd>
            {party.idType ? t(`idType.${party.idType}`, { defaultValue: party.idType }) : t('common.none')}
          </dd>
        </div>
        <div className="kv-row">
          <dt>{t('task.fields.idNumber')}</dt>
          <dd className="id-cell">
            {party.idKnown ? (
              <span className="id-number" data-testid="id-number">
                {revealed.idNumber ?? party.idNumberMasked}
              </span>
            ) : (
              <Tooltip title={t('task.idUnknownHint')}>
                <Tag color="warning" className="id-unknown" data-testid="id-unknown">
                  {t('task.idUnknown')}
                </Tag>
              </Tooltip>
            )}
            {party.idKnown ? (
              <RevealButton
                testId="reveal-id"
                revealed={revealed.idNumber !== null}
                loading={revealing === 'idNumber'}
                onReveal={() => void dispatch(revealId())}
                onHide={() => dispatch(revealHidden({ field: 'idNumber' }))}
              />
            ) : null}
          </dd>
        </div>
        <div className="kv-row">
          <dt>{t('task.fields.email')}</dt>
          <dd>{party.email ?? t('common.none')}</dd>
        </div>
        {party.representative ? (
          <div className="kv-row">
            <dt>{t('task.fields.representative')}</dt>
            <dd>{party.representative}</dd>
          </div>
        ) : null}
        <div className="kv-row">
          <dt>{t('task.fields.addresses')}</dt>
          <dd>
            {party.addresses.length === 0 ? (
              <span className="muted">{t('task.noAddresses')}</span>
            ) : (
              <ul className="address-list">
                {party.addresses.map((address) => (
                  <li key={address.id}>
                    <span>{address.text}</span>
                    <Tag
                      className="source-tag"
                      variant="filled"
                      color={address.source === 'party_confirmed' ? 'green' : 'default'}
                    >
                      {t(`addressSource.${address.source}`)}
                    </Tag>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
