import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  decrypt,
  encrypt,
  parseEncodingAESKey,
  parseCallbackQuery,
  WecomCrypto,
} from '../../../src/protocol/crypto/index.js';
import { DECRYPT_VECTORS, DERIVED, SET_A, SET_B } from './fixtures/vectors.js';
import { openRaw, rawKey } from './helpers.js';

describe('official vectors (§3.4)', () => {
  it('derives the documented AES keys', () => {
    for (const set of [SET_A, SET_B]) expect(rawKey(set.encodingAESKey).toString('hex')).toBe(set.aesKeyHex);
  });

  describe.each(DECRYPT_VECTORS)('$name', (v) => {
    it('has the documented signature', () => {
      expect(computeSignature(v.set.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.msgSignature);
    });

    it('verifies and decrypts byte-exact through WecomCrypto', () => {
      const wc = new WecomCrypto({ token: v.set.token, encodingAESKey: v.set.encodingAESKey, receiveId: v.set.receiveId });
      const values = { msgSignature: v.msgSignature, timestamp: v.timestamp, nonce: v.nonce };
      expect(wc.decryptMessage({ ...values, encrypt: v.encrypt })).toBe(v.plaintext);
      expect(wc.verifyUrl({ ...values, echostr: v.encrypt })).toBe(v.plaintext);
    });

    it('matches the documented framing (length field, pad, receiveid, random)', () => {
      const plain = openRaw(v.set.encodingAESKey, v.encrypt);
      expect(plain.readUInt32BE(16)).toBe(v.msgLength);
      expect(plain[plain.length - 1]).toBe(v.pad);
      const got = decrypt(parseEncodingAESKey(v.set.encodingAESKey), v.encrypt, { receiveId: v.set.receiveId });
      expect(Buffer.byteLength(got.message)).toBe(v.msgLength);
      expect(got.receiveId).toBe(v.set.receiveId);
      if (v.random) expect(got.random.toString('latin1')).toBe(v.random);
    });

    if (v.urlForm) {
      it('survives the URL form of echostr', () => {
        const q = parseCallbackQuery(
          `https://bot.example.com/cb?msg_signature=${v.msgSignature}&timestamp=${v.timestamp}&nonce=${v.nonce}&echostr=${v.urlForm}`,
        );
        expect(q.echostr).toBe(v.encrypt);
      });
    }
  });

  it('V3 plaintext really is not JSON (kept byte-exact, never parsed)', () => {
    expect(() => JSON.parse(DECRYPT_VECTORS[2]!.plaintext)).toThrow();
  });

  describe('derived deterministic encryption vectors', () => {
    const key = parseEncodingAESKey(DERIVED.set.encodingAESKey);
    it.each(DERIVED.vectors)('encrypts and signs $plaintext', (d) => {
      const ct = encrypt(key, d.plaintext, { random: DERIVED.random, receiveId: DERIVED.receiveId });
      expect(ct).toBe(d.encrypt);
      expect(computeSignature(DERIVED.set.token, DERIVED.timestamp, DERIVED.nonce, ct)).toBe(d.signature);
      expect(decrypt(key, d.encrypt).message).toBe(d.plaintext);
    });

    it('12-byte message is block aligned: pad is a full 32 bytes', () => {
      const plain = openRaw(DERIVED.set.encodingAESKey, DERIVED.vectors[1].encrypt);
      expect(plain.length).toBe(64);
      expect([...plain.subarray(32)]).toEqual(new Array(32).fill(32));
    });

    it('gives the same bytes from a Uint8Array random and plaintext', () => {
      const ct = encrypt(key, new TextEncoder().encode('hello'), { random: Buffer.from(DERIVED.random) });
      expect(ct).toBe(DERIVED.vectors[0].encrypt);
    });

    it('WecomCrypto.encryptReply signs what it encrypts', () => {
      const wc = new WecomCrypto({ token: DERIVED.set.token, encodingAESKey: DERIVED.set.encodingAESKey });
      const reply = wc.encryptReply('hello', { timestamp: DERIVED.timestamp, nonce: DERIVED.nonce });
      expect(reply.timestamp).toBe(DERIVED.timestamp);
      expect(reply.nonce).toBe(DERIVED.nonce);
      expect(reply.signature).toBe(computeSignature(DERIVED.set.token, DERIVED.timestamp, DERIVED.nonce, reply.encrypt));
      expect(
        wc.decryptMessage({ msgSignature: reply.signature, timestamp: reply.timestamp, nonce: reply.nonce, encrypt: reply.encrypt }),
      ).toBe('hello');
    });
  });
});
