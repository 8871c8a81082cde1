// The SIP password in Electron: encrypted with the OS keychain through safeStorage, stored in an
// owner-only file. Where the OS offers no encryption the password is not kept at all (the
// settings view then asks for it again) rather than kept in the clear.
import { safeStorage } from 'electron';
import { createSecretFile, type SecretStore } from '../app/secretStore';

export function createSafeStorageSecretStore(path: string): SecretStore {
  const file = createSecretFile(path);
  return {
    read() {
      const bytes = file.read();
      if (!bytes || !safeStorage.isEncryptionAvailable()) return null;
      return safeStorage.decryptString(bytes);
    },
    write(secret) {
      if (!safeStorage.isEncryptionAvailable())
        throw new Error('the system keychain is not available: the SIP password cannot be kept safely');
      file.write(safeStorage.encryptString(secret));
    },
    clear: () => file.clear(),
  };
}
