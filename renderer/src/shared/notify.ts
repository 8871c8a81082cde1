import type { MessageInstance } from 'antd/es/message/interface';
import type { NotificationInstance } from 'antd/es/notification/interface';
import type { DeskError } from '../../../common/contract';

// Thunks cannot use hooks; the <NotifierBinding/> component (inside antd's <App>) hands us the
// context-aware message and notification APIs, so toasts follow the theme and the locale.

interface Notifier {
  message: MessageInstance;
  notification: NotificationInstance;
}

let notifier: Notifier | null = null;

export function bindNotifier(next: Notifier | null): void {
  notifier = next;
}

export function notifyError(error: DeskError | string, title?: string): void {
  const text = typeof error === 'string' ? error : error.message;
  if (!notifier) return;
  if (title || (typeof error !== 'string' && error.code === 'refused')) {
    notifier.notification.warning({
      title: title ?? text,
      description: title ? text : undefined,
      placement: 'topRight',
      duration: 6,
    });
    return;
  }
  void notifier.message.error(text, 5);
}

export function notifySuccess(text: string): void {
  if (!notifier) return;
  void notifier.message.success(text, 2);
}
