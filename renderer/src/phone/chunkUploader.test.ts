import { describe, expect, it } from 'vitest';
import { createChunkUploader } from './chunkUploader';

describe('createChunkUploader', () => {
  it('sends every chunk once, in order, retrying failures until they succeed', async () => {
    const received: Array<[number, string]> = [];
    const failuresLeft = new Map([
      [1, 2],
      [3, 1],
    ]);
    const retried: number[] = [];
    const uploader = createChunkUploader({
      send: async (seq, bytes) => {
        const left = failuresLeft.get(seq) ?? 0;
        if (left > 0) {
          failuresLeft.set(seq, left - 1);
          throw new Error('main is busy');
        }
        received.push([seq, new TextDecoder().decode(bytes)]);
      },
      retryDelayMs: () => 0,
      onRetry: (seq) => retried.push(seq),
    });
    const seqs = ['a', 'b', 'c', 'd', 'e'].map((text) => uploader.push(new Blob([text])));
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
    await uploader.drain();
    expect(received).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
      [4, 'e'],
    ]);
    expect(retried).toEqual([1, 1, 3]);
    expect(uploader.pending()).toBe(0);
    expect(uploader.sent()).toBe(5);
  });

  it('takes chunks pushed while it is sending, and drains again', async () => {
    const received: number[] = [];
    const uploader = createChunkUploader({
      send: async (seq) => {
        received.push(seq);
        if (seq === 0) uploader.push(new Uint8Array([9]));
      },
    });
    uploader.push(new Uint8Array([1]));
    await uploader.drain();
    expect(received).toEqual([0, 1]);
    uploader.push(new Uint8Array([2]));
    await uploader.drain();
    expect(received).toEqual([0, 1, 2]);
  });
});
