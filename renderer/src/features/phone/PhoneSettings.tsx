import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { SipSettings, type AudioPrefs, type PhoneSetup } from '../../../../common/contract';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { callDesk } from '../../shared/call';
import { notifyError, notifySuccess } from '../../shared/notify';
import { AudioDevices } from './AudioDevices';
import { settingsOpened, setupLoaded } from './phoneSlice';
import { initPhone } from './phoneController';

interface AccountForm {
  wsServer: string;
  sipUri: string;
  authUser: string;
  password: string;
  displayName: string;
  callerId: string;
  prefixMobile: string;
  prefixLandline: string;
}

const EMPTY: AccountForm = {
  wsServer: '',
  sipUri: '',
  authUser: '',
  password: '',
  displayName: '',
  callerId: '',
  prefixMobile: '',
  prefixLandline: '',
};

function formOf(setup: PhoneSetup | null): AccountForm {
  const s = setup?.settings;
  if (!s) return EMPTY;
  return {
    ...EMPTY,
    wsServer: s.wsServer,
    sipUri: s.sipUri,
    authUser: s.authUser,
    displayName: s.displayName,
    callerId: s.callerId,
    prefixMobile: s.dialPrefixes.mobile,
    prefixLandline: s.dialPrefixes.landline,
  };
}

/** The SIP account and the headset. The password goes to main once and is never kept here. */
export function PhoneSettings() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const open = useAppSelector((s) => s.phone.settingsOpen);
  return (
    <Modal
      open={open}
      title={t('phone.settings.title')}
      footer={null}
      width={620}
      destroyOnHidden
      onCancel={() => dispatch(settingsOpened(false))}
    >
      {open ? <SettingsBody /> : null}
    </Modal>
  );
}

function SettingsBody() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const setup = useAppSelector((s) => s.phone.setup);
  const [form, setForm] = useState<AccountForm>(() => formOf(setup));
  const [audio, setAudio] = useState<AudioPrefs>(() => setup?.audio ?? { microphoneId: '', speakerId: '' });
  const [invalid, setInvalid] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const field = (name: keyof AccountForm) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
    'data-testid': `phone-setting-${name}`,
  });
  const labelOf: Record<string, string> = {
    wsServer: t('phone.settings.wsServer'),
    sipUri: t('phone.settings.sipUri'),
    authUser: t('phone.settings.authUser'),
    displayName: t('phone.settings.displayName'),
    callerId: t('phone.settings.callerId'),
    dialPrefixes: `${t('phone.settings.prefixMobile')} / ${t('phone.settings.prefixLandline')}`,
  };

  const saveAccount = async () => {
    const parsed = SipSettings.safeParse({
      wsServer: form.wsServer.trim(),
      sipUri: form.sipUri.trim(),
      authUser: form.authUser.trim(),
      displayName: form.displayName.trim(),
      callerId: form.callerId.trim(),
      dialPrefixes: { mobile: form.prefixMobile.trim(), landline: form.prefixLandline.trim() },
    });
    if (!parsed.success) {
      setInvalid([...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))]);
      return;
    }
    setInvalid([]);
    setSaving(true);
    const answer = await callDesk((desk) =>
      desk.phoneSettingsSave({
        settings: parsed.data,
        ...(form.password ? { password: form.password } : {}),
      }),
    );
    setSaving(false);
    setForm((current) => ({ ...current, password: '' }));
    if (!answer.ok) {
      notifyError(answer.error);
      return;
    }
    dispatch(setupLoaded(answer.value));
    notifySuccess(t('phone.settings.saved'));
    void dispatch(initPhone(true));
  };

  const saveAudio = async () => {
    const answer = await callDesk((desk) => desk.phoneAudioSave(audio));
    if (!answer.ok) {
      notifyError(answer.error);
      return;
    }
    dispatch(setupLoaded(answer.value));
    notifySuccess(t('phone.audio.saved'));
  };

  const account = (
    <Form layout="vertical" className="phone-settings-form" onFinish={() => void saveAccount()}>
      <Alert
        className="phone-settings-source"
        data-testid="phone-settings-source"
        type={setup?.source === 'none' ? 'info' : 'success'}
        showIcon
        title={t(`phone.settings.source.${setup?.source ?? 'none'}`)}
        description={
          setup?.demoUnavailable ? t('phone.demoUnavailable', { reason: setup.demoUnavailable }) : undefined
        }
      />
      {invalid.length > 0 ? (
        <Alert
          type="error"
          showIcon
          data-testid="phone-settings-invalid"
          title={t('phone.settings.invalid', { fields: invalid.map((f) => labelOf[f] ?? f).join('、') })}
        />
      ) : null}
      <Form.Item label={t('phone.settings.wsServer')} help={t('phone.settings.wsServerHelp')}>
        <Input {...field('wsServer')} autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item label={t('phone.settings.sipUri')} help={t('phone.settings.sipUriHelp')}>
        <Input {...field('sipUri')} autoComplete="off" spellCheck={false} />
      </Form.Item>
      <div className="form-pair">
        <Form.Item label={t('phone.settings.authUser')}>
          <Input {...field('authUser')} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('phone.settings.password')} help={t('phone.settings.passwordHelp')}>
          <Input.Password
            {...field('password')}
            autoComplete="new-password"
            placeholder={setup?.hasPassword ? t('phone.settings.passwordKept') : ''}
          />
        </Form.Item>
      </div>
      <div className="form-pair">
        <Form.Item label={t('phone.settings.displayName')}>
          <Input {...field('displayName')} />
        </Form.Item>
        <Form.Item label={t('phone.settings.callerId')}>
          <Input {...field('callerId')} />
        </Form.Item>
      </div>
      <div className="form-pair">
        <Form.Item label={t('phone.settings.prefixMobile')}>
          <Input {...field('prefixMobile')} />
        </Form.Item>
        <Form.Item label={t('phone.settings.prefixLandline')}>
          <Input {...field('prefixLandline')} />
        </Form.Item>
      </div>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="phone-settings-save">
        {t('phone.settings.save')}
      </Button>
    </Form>
  );

  const devices = (
    <div>
      <AudioDevices value={audio} onChange={setAudio} />
      <div className="phone-settings-footer">
        <Button type="primary" data-testid="audio-save" onClick={() => void saveAudio()}>
          {t('phone.settings.save')}
        </Button>
      </div>
    </div>
  );

  return (
    <div data-testid="phone-settings">
      <Tabs
        items={[
          { key: 'account', label: t('phone.settings.account'), children: account },
          { key: 'audio', label: t('phone.settings.audio'), children: devices },
        ]}
      />
    </div>
  );
}
