// The hot path's shortcuts against the plain versions they replace: strict base64 without
// re-encoding, the JavaScript UTF-8 decoder, and the allocation-free signature compare.
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, signaturesEqual } from '../../../src/protocol/crypto/index.js';
import { decodeToUnits, decodeValidUtf8 } from '../../../src/protocol/crypto/utf8.js';

/** The reference: what the strict decoder accepted before, decoding and re-encoding. */
function acceptsByReencoding(value: string): boolean {
  return value.length % 4 === 0 && Buffer.from(value, 'base64').toString('base64') === value;
}
function accepts(value: string): boolean {
  try {
    decodeBase64Strict(value);
    return true;
  } catch (err) {
    expect(err).toMatchObject({ code: 'base64_invalid' });
    return false;
  }
}

const valid = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64'));
/** Valid base64 with one character replaced, inserted or removed; replacements include '-', '_', '=', '\u0141' (read as 'A'). */
const mutated = fc
  .tuple(
    valid,
    fc.nat(),
    fc.oneof(
      fc.constantFrom('-', '_', '=', ' ', '\n', '*', '.', '\u0141', '\u012b', '\u00c1', 'é', '中', 'A', '+', '/'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
    ),
    fc.constantFrom('replace', 'insert', 'remove'),
  )
  .map(([v, at, s, how]) => {
    const i = v.length === 0 ? 0 : at % v.length;
    if (how === 'replace') return v.slice(0, i) + s + v.slice(i + 1);
    if (how === 'insert') return v.slice(0, i) + s + v.slice(i);
    return v.slice(0, i) + v.slice(i + 1);
  });

describe('decodeBase64Strict', () => {
  it('accepts exactly what decoding and re-encoding accepts', () => {
    fc.assert(
      fc.property(fc.oneof(valid, mutated, fc.string({ maxLength: 12 })), (value) => {
        expect(accepts(value)).toBe(acceptsByReencoding(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes valid input to the same bytes as Buffer.from', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      expect(decodeBase64Strict(bytes.toString('base64')).equals(bytes)).toBe(true);
    }
  });

  it.each([
    ['a character above U+00FF read as its low byte', `QUJD\u0141QUJ`],
    ['the URL-safe alphabet', 'QU-D'],
    ['non-zero bits after one pad', 'QUJ='.replace('J', 'K')],
    ['non-zero bits after two pads', 'QR=='],
    ['a space', 'QU D'],
    ['three pads', 'Q==='],
  ])('refuses %s', (_name, value) => {
    expect(acceptsByReencoding(value)).toBe(false);
    expect(() => decodeBase64Strict(value)).toThrow(expect.objectContaining({ code: 'base64_invalid' }));
  });
});

/** Strings from every range of code points: ASCII, 2-, 3- and 4-byte UTF-8 (surrogate pairs). */
const codePoint = fc
  .oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .filter((cp) => cp < 0xd800 || cp > 0xdfff)
  .map((cp) => String.fromCodePoint(cp));
const text = fc.array(codePoint, { maxLength: 600 }).map((cps) => cps.join(''));

describe('decodeValidUtf8', () => {
  it('decodes valid UTF-8 like Buffer#toString, on both of its routes', () => {
    fc.assert(
      fc.property(text, fc.nat(8), (s, offset) => {
        const bytes = Buffer.concat([Buffer.alloc(offset, 0x41), Buffer.from(s, 'utf8'), Buffer.alloc(3, 0x42)]);
        const end = bytes.length - 3;
        expect(decodeToUnits(bytes, offset, end)).toBe(s);
        expect(decodeValidUtf8(bytes, offset, end)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['Chinese (the JavaScript route)', '请帮我查一下本周的活动报名情况'.repeat(20)],
    ['ASCII (Buffer#toString)', '<xml>'.repeat(100)],
    ['emoji', '😀a中'.repeat(100)],
    ['a message larger than the scratch buffer', '汉'.repeat(5000)],
    ['past the JavaScript route’s size limit', '汉'.repeat(20000)],
  ])('%s', (_name, s) => {
    const bytes = Buffer.from(s);
    expect(decodeValidUtf8(bytes, 0, bytes.length)).toBe(s);
  });

  it('returns a string that does not change when the next message is decoded', () => {
    const a = Buffer.from('第一条消息'.repeat(30));
    const b = Buffer.from('第二条消息'.repeat(30));
    const first = decodeValidUtf8(a, 0, a.length);
    decodeValidUtf8(b, 0, b.length);
    expect(first).toBe('第一条消息'.repeat(30));
  });
});

describe('signaturesEqual', () => {
  const sig = 'a'.repeat(39) + 'b';
  it.each([
    ['equal', sig, sig, true],
    ['last character differs', sig, 'a'.repeat(40), false],
    ['first character differs', sig, `c${sig.slice(1)}`, false],
    ['different length', sig, sig.slice(1), false],
    ['non-ASCII of the same length', sig, `${sig.slice(0, 39)}é`, false],
    ['both empty', '', '', true],
  ])('%s', (_name, a, b, expected) => {
    expect(signaturesEqual(a, b)).toBe(expected);
  });
});
