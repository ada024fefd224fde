import { describe, expect, it } from 'vitest';
import { decrypt, decryptMedia, encrypt, encryptMedia, parseEncodingAESKey, WecomCrypto } from '../../../src/protocol/crypto/index.js';
import { SET_A, SET_B } from './fixtures/vectors.js';
import { openRaw, rawKey } from './helpers.js';
import { createDecipheriv } from 'node:crypto';

const key = parseEncodingAESKey(SET_A.encodingAESKey);

describe('round trips', () => {
  it.each([
    ['Chinese', '你好，企业微信机器人！今天的日报已生成。'],
    ['emoji', '🚀 上线 ✅ 👨‍👩‍👧‍👦 🇨🇳'],
    ['mixed XML', '<xml><Content><![CDATA[早上好 ☀️ <@zhangsan>]]></Content></xml>'],
    ['empty message', ''],
    ['1 KiB of CJK', '汉'.repeat(342)],
  ])('%s', (_name, text) => {
    const ct = encrypt(key, text);
    expect(decrypt(key, ct).message).toBe(text);
  });

  it('carries a non-empty receiveid and checks it', () => {
    const ct = encrypt(key, '内容', { receiveId: SET_A.receiveId });
    expect(decrypt(key, ct, { receiveId: SET_A.receiveId })).toMatchObject({ message: '内容', receiveId: SET_A.receiveId });
    expect(() => decrypt(key, ct)).toThrow(expect.objectContaining({ code: 'receive_id_mismatch' }));
  });

  it('produces every pad size from 1 to 32 and strips each exactly', () => {
    const seen = new Set<number>();
    // 20-byte header + n bytes: n = 0..31 walks the pad through every value.
    for (let n = 0; n < 32; n++) {
      const text = 'é'.repeat(Math.floor(n / 2)) + 'a'.repeat(n % 2);
      const ct = encrypt(key, text);
      const plain = openRaw(SET_A.encodingAESKey, ct);
      const pad = plain[plain.length - 1]!;
      expect(plain.length % 32).toBe(0);
      expect([...plain.subarray(plain.length - pad)]).toEqual(new Array(pad).fill(pad));
      seen.add(pad);
      expect(decrypt(key, ct).message).toBe(text);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });

  it('uses a fresh random prefix per message', () => {
    const a = decrypt(key, encrypt(key, 'same')).random.toString('hex');
    const b = decrypt(key, encrypt(key, 'same')).random.toString('hex');
    expect(a).not.toBe(b);
    // 300 messages cross a refill of the 4 KiB random pool.
    const prefixes = new Set(Array.from({ length: 300 }, () => decrypt(key, encrypt(key, 'x')).random.toString('hex')));
    expect(prefixes.size).toBe(300);
  });

  it('stays correct when calls on different keys and lengths interleave (long-lived cipher chaining)', () => {
    const other = parseEncodingAESKey(SET_B.encodingAESKey);
    for (let i = 0; i < 50; i++) {
      const text = `消息 ${i} ${'z'.repeat(i * 7)}`;
      const ctA = encrypt(key, text);
      const ctB = encrypt(other, text);
      // An independent fresh decipher must agree with the long-lived one.
      expect(
        openRaw(SET_A.encodingAESKey, ctA)
          .subarray(20, 20 + Buffer.byteLength(text))
          .toString(),
      ).toBe(text);
      expect(decrypt(other, ctB).message).toBe(text);
      expect(decrypt(key, ctA).message).toBe(text);
      // Block 0 holds the random prefix: the chaining fix-up must restore it on every call.
      const random = `rnd-${String(i).padStart(12, '0')}`;
      expect(decrypt(key, encrypt(key, text, { random })).random.toString('latin1')).toBe(random);
    }
  });

  it('accepts the EncodingAESKey string directly', () => {
    expect(decrypt(SET_A.encodingAESKey, encrypt(SET_A.encodingAESKey, 'hi')).message).toBe('hi');
  });

  it('WecomCrypto renders replies that its peer can open', () => {
    const wc = new WecomCrypto({ token: SET_B.token, encodingAESKey: SET_B.encodingAESKey, now: () => 1_700_000_000_000 });
    const reply = wc.encryptReply('{"msgtype":"text","text":{"content":"收到 👍"}}');
    expect(reply.timestamp).toBe('1700000000');
    expect(reply.nonce).toMatch(/^\d{10}$/);
    expect(
      wc.decryptMessage({ msgSignature: reply.signature, timestamp: reply.timestamp, nonce: reply.nonce, encrypt: reply.encrypt }),
    ).toContain('收到 👍');
  });
});

describe('media (AI bot downloads)', () => {
  it('decrypts a file encrypted with the callback key, IV = key[0..16), 32-byte pad', () => {
    const file = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) % 256));
    const sealed = encryptMedia(key, file);
    expect(sealed.length).toBe(1024);
    // Independent check with a fresh decipher.
    const k = rawKey(SET_A.encodingAESKey);
    const d = createDecipheriv('aes-256-cbc', k, k.subarray(0, 16));
    d.setAutoPadding(false);
    const raw = Buffer.concat([d.update(sealed), d.final()]);
    expect(raw.subarray(0, 1000).equals(file)).toBe(true);
    expect(raw[1023]).toBe(24);
    expect(decryptMedia(key, sealed).equals(file)).toBe(true);
    expect(decryptMedia(key, new Uint8Array(sealed)).equals(file)).toBe(true);
  });

  it('pads an aligned file with a whole 32-byte block', () => {
    const file = Buffer.alloc(64, 7);
    const sealed = encryptMedia(key, file);
    expect(sealed.length).toBe(96);
    expect(decryptMedia(key, sealed).equals(file)).toBe(true);
  });

  it('rejects truncated and mis-padded files', () => {
    const sealed = encryptMedia(key, Buffer.alloc(100, 1));
    expect(() => decryptMedia(key, sealed.subarray(0, 100))).toThrow(expect.objectContaining({ code: 'ciphertext_length_invalid' }));
    expect(() => decryptMedia(key, Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'ciphertext_length_invalid' }));
    expect(() => decryptMedia(parseEncodingAESKey(SET_B.encodingAESKey), sealed)).toThrow(
      expect.objectContaining({ code: 'padding_invalid' }),
    );
  });
});
