import { Decoder, Reader, tools } from 'ts-ebml';

export interface RepairedWebm {
  bytes: Buffer;
  durationMs: number;
}

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

/**
 * MediaRecorder writes a live WebM: no duration and no cues, so players cannot seek it. This
 * rewrites the metadata before the first cluster (duration, seek head, cues from ts-ebml's reader)
 * and keeps every cluster byte as it came. A stream cut off mid-cluster (a crash) still repairs:
 * the reader stops at the last whole block.
 */
export function repairWebm(raw: Buffer): RepairedWebm {
  if (raw.length < EBML_MAGIC.length || !raw.subarray(0, 4).equals(EBML_MAGIC)) {
    throw new Error('not a WebM stream (no EBML header)');
  }
  const reader = new Reader();
  reader.logging = false;
  // Keep Chromium's DefaultDuration: the reader then counts the last frame into the duration.
  reader.drop_default_duration = false;
  const stream = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length) as ArrayBuffer;
  for (const element of new Decoder().decode(stream)) reader.read(element);
  reader.stop();
  // One cue per cluster: without one there is no audio to keep, only a header.
  if (reader.cues.length === 0 || reader.metadataSize === 0) {
    throw new Error('the stream ends before its first cluster');
  }
  const metadata = encodeUnpooled(() =>
    tools.makeMetadataSeekable(reader.metadatas, reader.duration, reader.cues),
  );
  const durationMs = Math.round((reader.duration * reader.timestampScale) / 1e6);
  return { bytes: Buffer.concat([metadata, raw.subarray(reader.metadataSize)]), durationMs };
}

/**
 * ts-ebml's encoder answers `buffer.buffer` of a Node Buffer: for a small result that is Node's
 * shared 8 KiB allocation pool, not the bytes alone. With the pool off for the (synchronous) call
 * each Buffer owns its ArrayBuffer, so the answer is exactly the encoded metadata.
 */
function encodeUnpooled(encode: () => ArrayBuffer): Buffer {
  const poolSize = Buffer.poolSize;
  Buffer.poolSize = 0;
  try {
    const bytes = Buffer.from(encode());
    if (!bytes.subarray(0, 4).equals(EBML_MAGIC)) throw new Error('repaired WebM metadata is malformed');
    return bytes;
  } finally {
    Buffer.poolSize = poolSize;
  }
}
