/** Latin-1 view of a PDF's bytes: PDF syntax is ASCII, so offsets and tokens survive as they are. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}
