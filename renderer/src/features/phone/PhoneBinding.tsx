import { useEffect } from 'react';
import { useAppDispatch } from '../../app/hooks';
import { onReconnected } from '../../bridge';
import { initPhone, onPageUnload } from './phoneController';

/** Starts the softphone with the desk, and keeps the recording on unload (reload, close, crash of the page). */
export function PhoneBinding() {
  const dispatch = useAppDispatch();
  useEffect(() => {
    void dispatch(initPhone());
    const offReconnected = onReconnected(() => void dispatch(initPhone()));
    window.addEventListener('pagehide', onPageUnload);
    window.addEventListener('beforeunload', onPageUnload);
    return () => {
      offReconnected();
      window.removeEventListener('pagehide', onPageUnload);
      window.removeEventListener('beforeunload', onPageUnload);
    };
  }, [dispatch]);
  return null;
}
