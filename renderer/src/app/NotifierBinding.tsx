import { useEffect } from 'react';
import { App } from 'antd';
import { bindNotifier } from '../shared/notify';

/** Hands antd's context-aware message/notification APIs to the thunks. */
export function NotifierBinding(): null {
  const { message, notification } = App.useApp();
  useEffect(() => {
    bindNotifier({ message, notification });
    return () => bindNotifier(null);
  }, [message, notification]);
  return null;
}
