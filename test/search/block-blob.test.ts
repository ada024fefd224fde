import { describe, expect, it } from 'vitest';
import { blockReader, packBlocks, sampleDictionary } from '../../src/search/core/block-blob.js';

const damaged = () => new Error('damaged');

function records(count: number): { raw: Buffer; ends: Uint32Array; texts: string[] } {
  const texts = Array.from({ length: count }, (_, i) => `第 ${i} 节：云函数 SCF 的计费方式与调用次数。${'x'.repeat(i % 37)}`);
  const ends = new Uint32Array(count);
  const parts: Buffer[] = [];
  let at = 0;
  texts.forEach((t, i) => {
    const b = Buffer.from(t, 'utf8');
    parts.push(b);
    at += b.length;
    ends[i] = at;
  });
  return { raw: Buffer.concat(parts), ends, texts };
}

function readerOf(raw: Buffer, ends: Uint32Array, blockBytes: number, dictionary?: Uint8Array, cachedBlocks = 2) {
  const packed = packBlocks(raw, ends, blockBytes, dictionary);
  const read = blockReader((o, l) => packed.data.subarray(o, o + l), packed.starts, packed.ends, damaged, { dictionary, cachedBlocks });
  return { packed, at: (i: number) => read(i > 0 ? ends[i - 1]! : 0, ends[i]!).toString('utf8') };
}

describe('packed blobs', () => {
  it('reads every record back, in any order, with and without a dictionary', () => {
    const { raw, ends, texts } = records(500);
    const dict = sampleDictionary(raw, ends, 4096, 64);
    expect(dict.length).toBeGreaterThan(0);
    expect(dict.length).toBeLessThanOrEqual(4096);
    for (const d of [undefined, dict]) {
      const { packed, at } = readerOf(raw, ends, 2048, d);
      expect(packed.starts.length).toBeGreaterThan(5);
      expect(packed.data.length).toBeLessThan(raw.length / 2);
      const order = texts.map((_, i) => (i * 7919) % texts.length);
      for (const i of order) expect(at(i)).toBe(texts[i]);
    }
  });

  it('keeps records whole inside one block', () => {
    const { raw, ends } = records(200);
    const { packed } = readerOf(raw, ends, 1000);
    const recordStarts = new Set([0, ...ends]);
    for (const s of packed.starts) expect(recordStarts.has(s)).toBe(true);
  });

  it('turns damaged blocks and offsets into its own error', () => {
    const { raw, ends } = records(50);
    const packed = packBlocks(raw, ends, 512);
    const garbage = Buffer.from(packed.data);
    garbage.fill(0xff, 0, 64);
    const read = blockReader((o, l) => garbage.subarray(o, o + l), packed.starts, packed.ends, damaged, { cachedBlocks: 1 });
    expect(() => read(0, ends[0]!)).toThrow('damaged');
    const good = blockReader((o, l) => packed.data.subarray(o, o + l), packed.starts, packed.ends, damaged, { cachedBlocks: 1 });
    expect(() => good(raw.length - 2, raw.length + 100)).toThrow('damaged');
  });

  it('handles an empty blob', () => {
    const packed = packBlocks(new Uint8Array(0), new Uint32Array([0, 0]), 512);
    expect(packed.starts.length).toBe(0);
    const read = blockReader(() => Buffer.alloc(0), packed.starts, packed.ends, damaged, { cachedBlocks: 1 });
    expect(read(0, 0).length).toBe(0);
  });
});
