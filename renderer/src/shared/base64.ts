/** Base64 (as main sends a file's bytes) → bytes, for a Blob. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A file's bytes as base64, encoded by the browser off the page's thread (FileReader), so a
 * 50 MB intake file does not freeze the desk while it is read.
 */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      // A data URL: "data:<type>;base64,<data>".
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

/**
 * Bytes → base64 without building one giant string argument list: encodes in slices whose
 * length is a multiple of 3, so the pieces concatenate into one valid base64 string. Works for
 * the 50 MB intake limit without a stack overflow.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const SLICE = 3 * 8192;
  const parts: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += SLICE) {
    const slice = bytes.subarray(offset, Math.min(offset + SLICE, bytes.length));
    let binary = '';
    for (let i = 0; i < slice.length; i += 4096) {
      binary += String.fromCharCode.apply(null, Array.from(slice.subarray(i, i + 4096)));
    }
    parts.push(btoa(binary));
  }
  return parts.join('');
}
