import { describe, expect, it } from 'vitest';
import { decodeUtf8Strict, truncateUtf8, utf8ByteLength, utf8PrefixIndex } from '../../../src/protocol/text/utf8.js';

describe('utf8 helpers', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('中文')).toBe(6);
    expect(utf8ByteLength('😀')).toBe(4);
    expect(utf8ByteLength('é')).toBe(2);
  });

  it('finds prefixes on code point boundaries', () => {
    expect(utf8PrefixIndex('中文ab', 5)).toBe(1);
    expect(utf8PrefixIndex('a😀b', 4)).toBe(1);
    expect(utf8PrefixIndex('a😀b', 5)).toBe(3);
    expect(utf8PrefixIndex('abc', 10)).toBe(3);
  });

  it('truncates without splitting a character', () => {
    expect(truncateUtf8('企业微信', 8)).toBe('企业');
    expect(truncateUtf8('😀😀', 7)).toBe('😀');
    expect(truncateUtf8('short', 100)).toBe('short');
  });

  it('decodes strictly', () => {
    expect(decodeUtf8Strict(Buffer.from('中文'))).toBe('中文');
    expect(decodeUtf8Strict(Uint8Array.from([0xe4, 0xb8]))).toBeUndefined();
  });
});
