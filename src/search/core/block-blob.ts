import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * A blob of records (section texts, postings) stored as raw-deflate blocks of whole records.
 * A record is addressed by its offsets in the uncompressed stream, as before; reading one
 * inflates its block only. Blocks of a few KiB keep that to tens of microseconds while the
 * text compresses about 3×; a shared dictionary (sampled from the records themselves) makes
 * the small blocks compress nearly as well as large ones.
 *
 * Stored as three parts: the blocks back to back, and two u32 tables, `starts` (uncompressed
 * offset of each block's first byte) and `ends` (end of each block in the compressed data).
 */
export interface PackedBlob {
  data: Buffer;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** Packs `raw`, cut at the record ends `recordEnds`, into blocks of at least `blockBytes`. */
export function packBlocks(raw: Uint8Array, recordEnds: Uint32Array, blockBytes: number, dictionary?: Uint8Array): PackedBlob {
  const starts: number[] = [];
  const ends: number[] = [];
  const chunks: Buffer[] = [];
  let compressed = 0;
  let blockStart = 0;
  const options = dictionary ? { level: 9, dictionary } : { level: 9 };
  for (let r = 0; r < recordEnds.length; r++) {
    const end = recordEnds[r]!;
    if (end - blockStart < blockBytes && r + 1 < recordEnds.length) continue;
    if (end === blockStart) continue;
    const chunk = deflateRawSync(raw.subarray(blockStart, end), options);
    chunks.push(chunk);
    compressed += chunk.length;
    starts.push(blockStart);
    ends.push(compressed);
    blockStart = end;
  }
  return { data: Buffer.concat(chunks), starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/**
 * A deflate dictionary for `raw`: `bytes` sampled evenly across the records, so phrases common
 * to the whole corpus are in it. Deflate looks back 32 KiB at most; more would be wasted.
 */
export function sampleDictionary(raw: Uint8Array, recordEnds: Uint32Array, bytes = 32 * 1024, sliceBytes = 256): Uint8Array {
  if (raw.length <= bytes) return raw.slice();
  const slices = Math.ceil(bytes / sliceBytes);
  const step = Math.max(1, Math.floor(recordEnds.length / slices));
  const out = new Uint8Array(bytes);
  let at = 0;
  for (let r = 0; r < recordEnds.length && at < bytes; r += step) {
    const start = r > 0 ? recordEnds[r - 1]! : 0;
    const piece = raw.subarray(start, Math.min(recordEnds[r]!, start + sliceBytes, start + bytes - at));
    out.set(piece, at);
    at += piece.length;
  }
  return out.subarray(0, at);
}

/** Reads `length` compressed bytes at `offset` of the blob's data. */
export type BlobRead = (offset: number, length: number) => Buffer;

/**
 * A reader of a packed blob: `(start, end)` in the uncompressed stream → those bytes. Damaged
 * tables or data throw `damaged()`, never a RangeError or a zlib error from deep inside. The
 * last `cachedBlocks` inflated blocks are kept (least recently used goes first): an inflate
 * costs ~15 µs whatever the block size, mostly zlib's set-up, so answers asked again, and
 * neighbouring sections, are read from memory.
 */
export function blockReader(
  read: BlobRead,
  starts: Uint32Array,
  ends: Uint32Array,
  damaged: () => Error,
  options: { dictionary?: Uint8Array; cachedBlocks: number },
): (start: number, end: number) => Buffer {
  const cache = new Map<number, Buffer>();
  const zlibOptions = options.dictionary ? { dictionary: options.dictionary } : {};
  const block = (b: number): Buffer => {
    let out = cache.get(b);
    if (out) {
      // Map order is insertion order: re-inserting marks the block as recently used.
      cache.delete(b);
      cache.set(b, out);
      return out;
    }
    const from = b > 0 ? ends[b - 1]! : 0;
    try {
      out = inflateRawSync(read(from, ends[b]! - from), zlibOptions);
    } catch {
      throw damaged();
    }
    if (cache.size >= options.cachedBlocks) cache.delete(cache.keys().next().value!);
    cache.set(b, out);
    return out;
  };
  return (start, end) => {
    if (end <= start) return Buffer.alloc(0);
    // The last block whose first byte is at or before `start`.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    if (starts.length === 0) throw damaged();
    const data = block(lo);
    const at = start - starts[lo]!;
    if (at < 0 || at + (end - start) > data.length) throw damaged();
    return data.subarray(at, at + (end - start));
  };
}
