import type { MessageInstance } from 'antd/es/message/interface';
import type { NotificationInstance } from 'antd/es/notification/interface';
import type { DeskError } from '../../../common/contract';
import { deskErrorText } from './deskErrorText';

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

/**
 * A failure as a toast. A DeskError is shown by deskErrorText (never main's English message);
 * `zone` is the desk's time zone, for times a refusal names. Refusals get a warning with a title.
 */
export function notifyError(
  error: DeskError | string,
  options: { title?: string; zone?: string | undefined } = {},
): void {
  const text = typeof error === 'string' ? error : deskErrorText(error, options.zone);
  if (!notifier) return;
  const { title } = options;
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
