import * as wc from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, decrypt, encrypt, parseEncodingAESKey, WecomCrypto } from '../../../src/protocol/crypto/index.js';
import { DECRYPT_VECTORS, SET_A, SET_B } from './fixtures/vectors.js';

const samples = [
  'hello',
  '',
  '你好，世界',
  '🚀✅ emoji 👨‍👩‍👧‍👦',
  'x'.repeat(12),
  '<xml><Content><![CDATA[群里有人@我]]></Content></xml>',
  JSON.stringify({ msgtype: 'markdown', markdown: { content: '# 日报\n' + '- 条目\n'.repeat(100) } }),
];

describe('interop with @wecom/crypto', () => {
  for (const set of [SET_A, SET_B]) {
    const key = parseEncodingAESKey(set.encodingAESKey);
    for (const receiveId of ['', set.receiveId]) {
      it.each(samples)(`wecombot -> @wecom/crypto (receiveid ${JSON.stringify(receiveId)}): %j`, (text) => {
        const ct = encrypt(key, text, { receiveId });
        const out = wc.decrypt(set.encodingAESKey, ct);
        expect(out.message).toBe(text);
        expect(out.id).toBe(receiveId);
      });

      it.each(samples)(`@wecom/crypto -> wecombot (receiveid ${JSON.stringify(receiveId)}): %j`, (text) => {
        const ct = wc.encrypt(set.encodingAESKey, text, receiveId);
        expect(decrypt(key, ct, { receiveId }).message).toBe(text);
      });
    }
  }

  it('produces identical ciphertexts for the same random prefix', () => {
    const random = Buffer.from('0123456789abcdef');
    for (const text of samples) {
      expect(encrypt(SET_A.encodingAESKey, text, { random })).toBe(wc.encrypt(SET_A.encodingAESKey, text, '', random));
    }
  });

  it('agrees on signatures, including the official vectors', () => {
    for (const v of DECRYPT_VECTORS) {
      expect(computeSignature(v.set.token, v.timestamp, v.nonce, v.encrypt)).toBe(
        wc.getSignature(v.set.token, v.timestamp, v.nonce, v.encrypt),
      );
    }
    expect(computeSignature('tok', 1700000000, 123, 'abc+/=')).toBe(wc.getSignature('tok', 1700000000, 123, 'abc+/='));
  });

  it('opens a signed reply built by @wecom/crypto', () => {
    const ct = wc.encrypt(SET_B.encodingAESKey, '{"msgtype":"text"}', '');
    const sig = wc.getSignature(SET_B.token, '1700000000', '42', ct);
    const bot = new WecomCrypto({ token: SET_B.token, encodingAESKey: SET_B.encodingAESKey });
    expect(bot.decryptMessage({ msgSignature: sig, timestamp: '1700000000', nonce: '42', encrypt: ct })).toBe('{"msgtype":"text"}');
  });
});
