import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTimestamp, compareUtf8, computeSignature, signaturesEqual, verifySignature } from '../../../src/protocol/crypto/index.js';
import { V4 } from './fixtures/vectors.js';

/** Reference: sort the UTF-8 bytes, join, SHA-1. */
function reference(parts: string[]): string {
  const sorted = parts.map((p) => Buffer.from(p)).sort(Buffer.compare);
  return createHash('sha1').update(Buffer.concat(sorted)).digest('hex');
}

describe('computeSignature', () => {
  it('sorts the four values bytewise whatever their input order', () => {
    const values = ['b', 'a', 'd', 'c'];
    const perms: string[][] = [];
    const permute = (rest: string[], acc: string[]) => {
      if (rest.length === 0) perms.push(acc);
      rest.forEach((v, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, v]));
    };
    permute(values, []);
    expect(perms).toHaveLength(24);
    for (const [t, ts, n, e] of perms) expect(computeSignature(t!, ts!, n!, e!)).toBe(reference(['a', 'b', 'c', 'd']));
  });

  it('orders by UTF-8 bytes, not UTF-16 code units (astral vs U+E000..U+FFFF)', () => {
    const astral = '😀'; // U+1F600: surrogates D83D DE00, UTF-8 F0 9F 98 80
    const high = '\uff01'; // U+FF01: UTF-8 EF BC 81
    expect(astral < high).toBe(true); // UTF-16 order
    expect(compareUtf8(astral, high)).toBeGreaterThan(0); // byte order
    expect(computeSignature(astral, high, 'x', 'y')).toBe(reference([astral, high, 'x', 'y']));
  });

  it('compareUtf8 agrees with Buffer.compare on a mixed corpus', () => {
    const corpus = ['', 'a', 'ab', 'b', 'A', '1', '10', '9', 'é', '你', '你好', '😀', '\uffff', '\ue000', '\ud7ff', 'a😀', 'a\uff01'];
    for (const a of corpus) {
      for (const b of corpus) {
        expect(Math.sign(compareUtf8(a, b))).toBe(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }
    }
  });

  it('accepts numbers for timestamp and nonce', () => {
    expect(computeSignature(V4.set.token, Number(V4.timestamp), Number(V4.nonce), V4.encrypt)).toBe(V4.msgSignature);
  });

  it('equals the reference on prefixes that share characters', () => {
    expect(computeSignature('1409', '14096', '140', '1409659813')).toBe(reference(['1409', '14096', '140', '1409659813']));
  });
});

describe('signaturesEqual', () => {
  const sig = V4.msgSignature;
  it('is true only for the identical string', () => {
    expect(signaturesEqual(sig, sig)).toBe(true);
    expect(signaturesEqual(sig, sig.slice(0, -1) + (sig.endsWith('3') ? '4' : '3'))).toBe(false);
    expect(signaturesEqual(sig, sig.toUpperCase())).toBe(false);
    expect(signaturesEqual(sig, '')).toBe(false);
    expect(signaturesEqual(sig, `${sig}0`)).toBe(false);
    expect(signaturesEqual(sig, 'ß'.repeat(40))).toBe(false);
  });
});

describe('verifySignature and the timestamp window', () => {
  const values = { msgSignature: V4.msgSignature, timestamp: V4.timestamp, nonce: V4.nonce, encrypt: V4.encrypt };
  const at = (seconds: number) => () => seconds * 1000;

  it('passes the official vector without a window', () => {
    expect(() => verifySignature(V4.set.token, values)).not.toThrow();
  });

  it('uses the injected clock', () => {
    const ts = Number(V4.timestamp);
    expect(() => verifySignature(V4.set.token, values, { maxSkewSeconds: 60, now: at(ts + 60) })).not.toThrow();
    expect(() => verifySignature(V4.set.token, values, { maxSkewSeconds: 60, now: at(ts + 61) })).toThrow(/away from the clock/);
    expect(() => verifySignature(V4.set.token, values, { maxSkewSeconds: 60, now: at(ts - 61) })).toThrow(
      expect.objectContaining({ code: 'timestamp_stale' }),
    );
  });

  it('defaults to Date.now: a 2014 timestamp is stale today', () => {
    expect(() => verifySignature(V4.set.token, values, { maxSkewSeconds: 3600 })).toThrow(
      expect.objectContaining({ code: 'timestamp_stale' }),
    );
  });

  it('checks the signature before the clock', () => {
    expect(() => verifySignature('wrong', values, { maxSkewSeconds: 1, now: at(0) })).toThrow(
      expect.objectContaining({ code: 'signature_mismatch' }),
    );
  });

  it('rejects a non-numeric timestamp only when a window is set', () => {
    expect(() => checkTimestamp('abc', {})).not.toThrow();
    expect(() => checkTimestamp('abc', { maxSkewSeconds: 10 })).toThrow(expect.objectContaining({ code: 'timestamp_invalid' }));
    expect(() => checkTimestamp('', { maxSkewSeconds: 10 })).toThrow(expect.objectContaining({ code: 'timestamp_invalid' }));
  });
});
