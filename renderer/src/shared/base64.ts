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
