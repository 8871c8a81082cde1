// The desk's secrets in Electron — the SIP password and the hub session token: encrypted with the
// OS keychain through safeStorage, stored in an owner-only file. Where the OS offers no encryption
// a secret is not kept at all (the settings view asks for the password again, the desk signs in to
// the hub again) rather than kept in the clear.
import { safeStorage } from 'electron';
import { createSecretFile, type SecretStore } from '../app/secretStore';

/** `what` names the secret in the refusal, e.g. "the SIP password". */
export function createSafeStorageSecretStore(path: string, what: string): SecretStore {
  const file = createSecretFile(path);
  return {
    read() {
      const bytes = file.read();
      if (!bytes || !safeStorage.isEncryptionAvailable()) return null;
      return safeStorage.decryptString(bytes);
    },
    write(secret) {
      if (!safeStorage.isEncryptionAvailable())
        throw new Error(`the system keychain is not available: ${what} cannot be kept safely`);
      file.write(safeStorage.encryptString(secret));
    },
    clear: () => file.clear(),
  };
}
