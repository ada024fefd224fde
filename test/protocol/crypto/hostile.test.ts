import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  CRYPTO_ERRORS,
  decrypt,
  encrypt,
  parseCallbackQuery,
  parseEncodingAESKey,
  renderXmlEnvelope,
  WecomCrypto,
  WecomCryptoError,
  type WecomCryptoErrorCode,
} from '../../../src/protocol/crypto/index.js';
import { WecombotError } from '../../../src/errors.js';
import { SET_A, SET_B } from './fixtures/vectors.js';
import { frame, sealRaw } from './helpers.js';

const SECRET = '机密内容 secret-plaintext-42';
const NOW_MS = 1_700_000_000_000;
const TS = '1700000000';
const NONCE = '987654321';

const bot = new WecomCrypto({ token: SET_A.token, encodingAESKey: SET_A.encodingAESKey, maxSkewSeconds: 300, now: () => NOW_MS });

/** A correctly signed callback around any ciphertext, so the checks after the signature run. */
function signed(encrypt: string, timestamp = TS) {
  return { msgSignature: computeSignature(SET_A.token, timestamp, NONCE, encrypt), timestamp, nonce: NONCE, encrypt };
}
function sealed(block: Buffer) {
  return signed(sealRaw(SET_A.encodingAESKey, block));
}
const good = encrypt(SET_A.encodingAESKey, SECRET);

interface Case {
  name: string;
  code: WecomCryptoErrorCode;
  run: () => unknown;
}

const cases: Case[] = [
  { name: 'bad signature', code: 'signature_mismatch', run: () => bot.decryptMessage({ ...signed(good), msgSignature: '0'.repeat(40) }) },
  {
    name: 'signature of another token',
    code: 'signature_mismatch',
    run: () => bot.decryptMessage({ ...signed(good), msgSignature: computeSignature('other', TS, NONCE, good) }),
  },
  {
    name: 'uppercase signature',
    code: 'signature_mismatch',
    run: () => bot.decryptMessage({ ...signed(good), msgSignature: signed(good).msgSignature.toUpperCase() }),
  },
  {
    name: 'non-ASCII signature of the right length',
    code: 'signature_mismatch',
    run: () => bot.decryptMessage({ ...signed(good), msgSignature: 'é'.repeat(40) }),
  },
  { name: 'short signature', code: 'signature_mismatch', run: () => bot.decryptMessage({ ...signed(good), msgSignature: 'abc' }) },
  {
    name: 'signature over a tampered ciphertext',
    code: 'signature_mismatch',
    run: () => bot.decryptMessage({ ...signed(good), encrypt: good.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }),
  },
  {
    name: 'stale timestamp (10 minutes old)',
    code: 'timestamp_stale',
    run: () => bot.decryptMessage(signed(good, String(Number(TS) - 600))),
  },
  { name: 'timestamp from the future', code: 'timestamp_stale', run: () => bot.decryptMessage(signed(good, String(Number(TS) + 301))) },
  { name: 'non-decimal timestamp', code: 'timestamp_invalid', run: () => bot.decryptMessage(signed(good, '17e8')) },
  {
    name: 'wrong receiveid',
    code: 'receive_id_mismatch',
    run: () => bot.decryptMessage(signed(encrypt(SET_A.encodingAESKey, SECRET, { receiveId: SET_A.receiveId }))),
  },
  { name: 'bad base64: illegal character', code: 'base64_invalid', run: () => bot.decryptMessage(signed(`*${good.slice(1)}`)) },
  { name: "bad base64: '+' form-decoded to a space", code: 'base64_invalid', run: () => bot.decryptMessage(signed('ab c'.repeat(8))) },
  { name: 'bad base64: URL-safe alphabet', code: 'base64_invalid', run: () => bot.decryptMessage(signed(`-_${good.slice(2)}`)) },
  { name: 'bad base64: length not a multiple of 4', code: 'base64_invalid', run: () => bot.decryptMessage(signed(good.slice(0, -1))) },
  { name: "bad base64: '=' inside", code: 'base64_invalid', run: () => bot.decryptMessage(signed(`${good.slice(0, 8)}=${good.slice(9)}`)) },
  {
    name: 'bad base64: non-canonical trailing bits',
    code: 'base64_invalid',
    run: () => bot.decryptMessage(signed('AAAAAAAAAAAAAAAAAAAAAB==')),
  },
  {
    name: 'bad padding: pad byte 0',
    code: 'padding_invalid',
    run: () => bot.decryptMessage(sealed(frame('hi', { pad: Buffer.from([...new Array(9).fill(9), 0]) }))),
  },
  {
    name: 'bad padding: pad byte 33',
    code: 'padding_invalid',
    run: () => bot.decryptMessage(sealed(frame('x'.repeat(44), { pad: Buffer.alloc(32, 33) }))),
  },
  {
    name: 'bad padding: pad byte 255',
    code: 'padding_invalid',
    run: () => bot.decryptMessage(sealed(frame('hi', { pad: Buffer.alloc(10, 255) }))),
  },
  {
    name: 'bad padding: inconsistent pad bytes',
    code: 'padding_invalid',
    run: () => bot.decryptMessage(sealed(frame('hi', { pad: Buffer.from([10, 10, 10, 10, 3, 10, 10, 10, 10, 10]) }))),
  },
  { name: 'bad padding: pad larger than the data', code: 'padding_invalid', run: () => bot.decryptMessage(sealed(Buffer.alloc(16, 20))) },
  {
    name: 'length field past the end',
    code: 'length_field_invalid',
    run: () => bot.decryptMessage(sealed(frame('hi', { lengthField: 13 }))),
  },
  {
    name: 'length field 0xFFFFFFFF',
    code: 'length_field_invalid',
    run: () => bot.decryptMessage(sealed(frame('hi', { lengthField: 0xffffffff }))),
  },
  {
    name: 'block shorter than the 20-byte header',
    code: 'length_field_invalid',
    run: () => bot.decryptMessage(sealed(Buffer.alloc(32, 32))),
  },
  {
    name: 'truncated ciphertext (24 bytes)',
    code: 'ciphertext_length_invalid',
    run: () => bot.decryptMessage(signed(Buffer.alloc(24, 1).toString('base64'))),
  },
  {
    name: 'truncated ciphertext (last block cut)',
    code: 'ciphertext_length_invalid',
    run: () => bot.decryptMessage(signed(Buffer.from(good, 'base64').subarray(0, 40).toString('base64'))),
  },
  { name: 'empty ciphertext (decrypt)', code: 'ciphertext_length_invalid', run: () => decrypt(SET_A.encodingAESKey, '') },
  {
    name: 'non-UTF-8 message: 0xFF 0xFE',
    code: 'message_not_utf8',
    run: () => bot.decryptMessage(sealed(frame(Buffer.from([0x41, 0xff, 0xfe, 0x42])))),
  },
  {
    name: 'non-UTF-8 message: overlong encoding',
    code: 'message_not_utf8',
    run: () => bot.decryptMessage(sealed(frame(Buffer.from([0xc0, 0xaf])))),
  },
  {
    name: 'non-UTF-8 message: encoded surrogate',
    code: 'message_not_utf8',
    run: () => bot.decryptMessage(sealed(frame(Buffer.from([0xed, 0xa0, 0x80])))),
  },
  {
    name: 'non-UTF-8 message: cut multi-byte character',
    code: 'message_not_utf8',
    run: () => bot.decryptMessage(sealed(frame(Buffer.from('你好').subarray(0, 4)))),
  },
  { name: 'missing msg_signature', code: 'missing_field', run: () => bot.decryptMessage({ ...signed(good), msgSignature: undefined }) },
  { name: 'empty timestamp', code: 'missing_field', run: () => bot.decryptMessage({ ...signed(good), timestamp: '' }) },
  { name: 'missing nonce and encrypt', code: 'missing_field', run: () => bot.decryptMessage({ msgSignature: 'x', timestamp: TS }) },
  { name: 'missing echostr', code: 'missing_field', run: () => bot.verifyUrl({ msgSignature: 'x', timestamp: TS, nonce: NONCE }) },
  { name: 'EncodingAESKey of 42 characters', code: 'aes_key_invalid', run: () => parseEncodingAESKey(SET_A.encodingAESKey.slice(1)) },
  { name: "EncodingAESKey with trailing '='", code: 'aes_key_invalid', run: () => parseEncodingAESKey(`${SET_A.encodingAESKey}=`) },
  {
    name: 'EncodingAESKey with a non-alphanumeric character',
    code: 'aes_key_invalid',
    run: () => parseEncodingAESKey(`+${SET_A.encodingAESKey.slice(1)}`),
  },
  {
    name: 'Token with a trailing newline',
    code: 'token_invalid',
    run: () => new WecomCrypto({ token: `${SET_A.token}\n`, encodingAESKey: SET_A.encodingAESKey }),
  },
  {
    name: 'random prefix of 15 bytes',
    code: 'encrypt_failed',
    run: () => encrypt(SET_A.encodingAESKey, 'x', { random: '0123456789abcde' }),
  },
  { name: 'malformed %-escape in the query', code: 'query_invalid', run: () => parseCallbackQuery('?echostr=abc%2') },
  {
    name: "reply nonce with ']]>'",
    code: 'envelope_invalid',
    run: () => renderXmlEnvelope({ ...bot.encryptReply('x', { nonce: '1' }), nonce: ']]><evil/>' }),
  },
];

describe('hostile inputs', () => {
  it.each(cases)('$name -> $code', ({ code, run }) => {
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WecomCryptoError);
    expect(caught).toBeInstanceOf(WecombotError);
    const err = caught as WecomCryptoError;
    expect(err.code).toBe(code);
    expect(err.wecomCode).toBe(CRYPTO_ERRORS[code].wecomCode);
    expect(err.hint).toBeTruthy();
    // Secrets and plaintext never leak into the message or hint.
    for (const secret of [SET_A.token, SET_A.encodingAESKey, SECRET, '机密内容']) {
      expect(err.message).not.toContain(secret);
      expect(err.hint).not.toContain(secret);
    }
  });

  it('each error code in the table is exercised', () => {
    const exercised = new Set(cases.map((c) => c.code));
    const unexercised = Object.keys(CRYPTO_ERRORS).filter((c) => !exercised.has(c as WecomCryptoErrorCode));
    expect(unexercised).toEqual([]);
  });

  it('a wrong key never yields a message: garbage is caught by the pad and length checks', () => {
    const keyB = parseEncodingAESKey(SET_B.encodingAESKey);
    const codes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const ct = encrypt(keyB, `${SECRET} ${i} ${'y'.repeat(i % 40)}`);
      try {
        bot.decryptMessage(signed(ct));
        expect.unreachable('garbage decrypted');
      } catch (err) {
        expect(err).toBeInstanceOf(WecomCryptoError);
        codes.add((err as WecomCryptoError).code);
      }
    }
    expect(
      [...codes].every((c) => ['padding_invalid', 'length_field_invalid', 'message_not_utf8', 'receive_id_mismatch'].includes(c)),
    ).toBe(true);
  });

  it('a hostile input does not break the next, valid call', () => {
    expect(() => bot.decryptMessage(sealed(frame('hi', { pad: Buffer.alloc(10, 255) })))).toThrow();
    expect(() => bot.decryptMessage(signed(Buffer.alloc(24, 1).toString('base64')))).toThrow();
    expect(bot.decryptMessage(signed(good))).toBe(SECRET);
  });

  it('names every missing field at once', () => {
    expect(() => bot.decryptMessage({})).toThrow(/missing msg_signature, timestamp, nonce, encrypt/);
    expect(() => bot.verifyUrl({ timestamp: TS })).toThrow(/missing msg_signature, nonce, echostr/);
  });

  it('accepts timestamps inside the window on both sides', () => {
    expect(bot.decryptMessage(signed(good, String(Number(TS) - 300)))).toBe(SECRET);
    expect(bot.decryptMessage(signed(good, String(Number(TS) + 300)))).toBe(SECRET);
  });

  it('without a window, old timestamps pass (official vectors are from 2014)', () => {
    const open = new WecomCrypto({ token: SET_A.token, encodingAESKey: SET_A.encodingAESKey });
    expect(open.decryptMessage(signed(good, '1409659813'))).toBe(SECRET);
  });
});
