import type { DeskError } from '../../../common/contract';
import { i18n } from '../i18n';
import { errorText } from './errorText';

/** A failed desk call in the desk's current language (see errorText). */
export function deskErrorText(error: DeskError, zone: string | undefined): string {
  return errorText(error, zone, (key, options) => i18n.t(key, options));
}
