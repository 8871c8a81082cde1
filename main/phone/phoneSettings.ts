import { refused, SipSettings, AudioPrefs, type PhoneSetup } from '../../common/contract';
import { existsSync } from 'node:fs';
import { Database, type SqliteDatabase } from '../../native/sqlite';
import type { Logger } from '../app/logger';
import type { SecretStore } from '../app/secretStore';

/** An account given from outside the settings view: --settings FILE, or the demo line. */
export interface ProvidedAccount {
  settings: SipSettings;
  password: string | null;
}

export interface PhoneSettingsDeps {
  /** One write transaction through the desk's write gate (main/store/writeGate.ts). */
  write<T>(fn: () => T): T;
  db: SqliteDatabase;
  secrets: SecretStore;
  /** From the host's --settings FILE (password from DESK_SIP_PASSWORD): wins over saved settings. */
  fileAccount?: ProvidedAccount;
  /** The local demo line, used when nothing else is configured; or why there is none. */
  demoLine?: ProvidedAccount | { unavailable: string };
  log: Logger;
}

const SIP_KEY = 'phone.sip';
const AUDIO_KEY = 'phone.audio';

/**
 * Whether a SIP account is saved in the desk's database, looked at read-only before the desk opens
 * (the host starts the demo line only when there is none).
 */
export function sipAccountSavedIn(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT 1 FROM settings WHERE key = ?').get(SIP_KEY) !== undefined;
  } catch {
    return false; // a database from before the settings table: nothing saved
  } finally {
    db.close();
  }
}

/** The SIP account and headset choice main keeps. The password lives in the SecretStore only. */
export function createPhoneSettings(deps: PhoneSettingsDeps) {
  const { db, secrets, log } = deps;
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const stored = <T>(key: string, schema: { safeParse(v: unknown): { success: boolean; data?: T } }) => {
    const row = read.get(key);
    if (!row) return null;
    const parsed = schema.safeParse(JSON.parse(row.value));
    if (!parsed.success) log.warn({ key }, 'ignored a stored setting that no longer fits its schema');
    return parsed.success ? (parsed.data as T) : null;
  };
  const demo = deps.demoLine && 'settings' in deps.demoLine ? deps.demoLine : null;

  const current = (): {
    source: PhoneSetup['source'];
    settings: SipSettings | null;
    password: string | null;
  } => {
    if (deps.fileAccount) return { source: 'file', ...deps.fileAccount };
    const saved = stored<SipSettings>(SIP_KEY, SipSettings);
    if (saved) return { source: 'user', settings: saved, password: secrets.read() };
    if (demo) return { source: 'demo', ...demo };
    return { source: 'none', settings: null, password: null };
  };

  const setup = (): PhoneSetup => {
    const account = current();
    return {
      settings: account.settings,
      hasPassword: account.password !== null && account.password !== '',
      source: account.source,
      audio: stored<AudioPrefs>(AUDIO_KEY, AudioPrefs) ?? { microphoneId: '', speakerId: '' },
      demoUnavailable:
        account.source === 'none' && deps.demoLine && 'unavailable' in deps.demoLine
          ? deps.demoLine.unavailable
          : null,
    };
  };

  return {
    setup,
    save(settings: SipSettings, password: string | undefined): PhoneSetup {
      if (deps.fileAccount)
        throw refused(
          'phone_settings_managed',
          {},
          'the SIP account was given to the desk with --settings; edit that file',
        );
      // The password first: settings without the password they were saved with are worse than none.
      if (password !== undefined) {
        if (password === '') secrets.clear();
        else secrets.write(password);
      }
      deps.write(() => write.run(SIP_KEY, JSON.stringify(settings)));
      log.info(
        { sipUri: settings.sipUri, wsServer: settings.wsServer, passwordChanged: password !== undefined },
        'SIP account saved',
      );
      return setup();
    },
    saveAudio(prefs: AudioPrefs): PhoneSetup {
      deps.write(() => write.run(AUDIO_KEY, JSON.stringify(prefs)));
      return setup();
    },
    /** The password for registration; '' for an account without one. */
    password: (): string => current().password ?? '',
    settings: (): SipSettings | null => current().settings,
    /** The SIP server's WebSocket origin, for the renderer's CSP connect-src. */
    wsOrigin(): string | null {
      const settings = current().settings;
      if (!settings) return null;
      const url = new URL(settings.wsServer);
      return `${url.protocol}//${url.host}`;
    },
  };
}
export type PhoneSettings = ReturnType<typeof createPhoneSettings>;
