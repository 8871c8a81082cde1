import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { deskRuntimeTheme } from './theme';
import { NotifierBinding } from './NotifierBinding';
import { Shell } from './Shell';

export function Root() {
  const { i18n } = useTranslation();
  const antLocale = i18n.language === 'en' ? enUS : zhCN;
  return (
    <ConfigProvider locale={antLocale} theme={deskRuntimeTheme} componentSize="small">
      <AntApp
        className="desk-root"
        message={{ maxCount: 3, top: 52 }}
        notification={{ maxCount: 3, top: 52 }}
      >
        <NotifierBinding />
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}
