import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import type { Locale } from '../../../common/contract';
import { zhCN } from './zh-CN';
import { en } from './en';

const STORAGE_KEY = 'desk.locale';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(value)) return value;
  } catch {
    // localStorage may be unavailable; fall back to Chinese.
  }
  return 'zh-CN';
}

function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale;
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
}

const initial = storedLocale();
applyLocale(initial);

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  supportedLngs: ['zh-CN', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function currentLocale(): Locale {
  const lng = i18next.language;
  return isLocale(lng) ? lng : 'zh-CN';
}

export async function setLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not persisted; still switch for this session.
  }
  applyLocale(locale);
  await i18next.changeLanguage(locale);
}

export const i18n = i18next;
