import { useRef, type ChangeEvent } from 'react';
import { Button, Popover, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from './hooks';
import { setLocale } from '../i18n';
import { importFile } from '../features/intake/thunks';
import { registerImportInput } from '../shared/importPicker';
import { IconGlobe, IconKeyboard, IconUpload } from '../shared/icons';
import { PhoneStatus } from '../features/phone/PhoneStatus';
import { SyncIndicator } from '../features/hub/SyncIndicator';
import { viewChosen } from '../features/hub/hubSlice';

function ShortcutList() {
  const { t } = useTranslation();
  const rows: Array<[string, string]> = [
    ['/  ·  Ctrl+K', t('shortcuts.search')],
    ['↑ ↓  ·  j k', t('shortcuts.move')],
    ['Enter', t('shortcuts.open')],
    ['Esc', t('shortcuts.back')],
    ['Alt+1 … Alt+5', t('shortcuts.step')],
    ['Ctrl+Enter', t('shortcuts.submit')],
    ['Alt+A', t('shortcuts.answer')],
    ['Alt+H', t('shortcuts.hangUp')],
    ['Alt+M', t('shortcuts.mute')],
  ];
  return (
    <table className="shortcut-table">
      <tbody>
        {rows.map(([keys, what]) => (
          <tr key={keys}>
            <td>
              <kbd>{keys}</kbd>
            </td>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Header() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const info = useAppSelector((s) => s.session.info);
  const importing = useAppSelector((s) => s.intake.busy);
  const hubUser = useAppSelector((s) => s.hub.session?.user ?? null);
  const view = useAppSelector((s) => s.hub.view);
  const inputRef = useRef<HTMLInputElement | null>(null);

  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Reset so picking the same file again still fires a change.
    event.target.value = '';
    if (file) void dispatch(importFile(file));
  };

  const toggleLocale = () => void setLocale(i18n.language === 'en' ? 'zh-CN' : 'en');

  return (
    <header className="desk-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden>
          {t('app.mark')}
        </span>
        <span className="brand-title">{t('app.title')}</span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </div>
      <div className="header-info">
        {info ? (
          <>
            <span>
              <span className="header-label">{t('app.specialist')}</span> {info.specialist.name}
            </span>
            <span>
              <span className="header-label">{t('app.callerNumber')}</span> {info.callerNumber}
            </span>
            <span>
              <span className="header-label">{t('app.today')}</span> {info.today}
            </span>
          </>
        ) : null}
      </div>
      <div className="header-actions">
        <PhoneStatus />
        <SyncIndicator />
        {hubUser && hubUser.role !== 'specialist' ? (
          <Button
            className="header-btn"
            data-testid="lead-toggle"
            onClick={() => dispatch(viewChosen(view === 'lead' ? 'queue' : 'lead'))}
          >
            {view === 'lead' ? t('lead.back') : t('lead.open')}
          </Button>
        ) : null}
        <input
          ref={(el) => {
            inputRef.current = el;
            registerImportInput(el);
          }}
          data-testid="import-input"
          type="file"
          accept=".csv,.json,text/csv,application/json"
          className="visually-hidden"
          tabIndex={-1}
          onChange={onFile}
        />
        <Tooltip title={t('intake.buttonTitle')}>
          <Button
            className="header-btn"
            icon={<IconUpload />}
            loading={importing}
            onClick={() => inputRef.current?.click()}
          >
            {t('intake.button')}
          </Button>
        </Tooltip>
        <Popover
          title={t('shortcuts.title')}
          content={<ShortcutList />}
          trigger="click"
          placement="bottomRight"
        >
          <Button className="header-btn" icon={<IconKeyboard />} aria-label={t('app.shortcuts')} />
        </Popover>
        <Tooltip title={t('locale.switchTitle')}>
          <Button
            className="header-btn"
            data-testid="locale-switch"
            icon={<IconGlobe />}
            onClick={toggleLocale}
            lang={i18n.language === 'en' ? 'zh-CN' : 'en'}
          >
            {t('locale.switchTo')}
          </Button>
        </Tooltip>
      </div>
    </header>
  );
}
