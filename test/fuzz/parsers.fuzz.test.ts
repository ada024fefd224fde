import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WecombotError } from '../../src/errors.js';
import { parseAibotCallback } from '../../src/protocol/callback/aibot.js';
import { parseCorpCallbackXml } from '../../src/protocol/callback/corp.js';
import { detectCallbackFormat, parseEncryptedEnvelope } from '../../src/protocol/callback/envelope.js';
import { parseGroupCallbackJson, parseGroupCallbackXml } from '../../src/protocol/callback/group.js';
import { parseJsonBody } from '../../src/protocol/callback/json-body.js';
import { WecomCrypto } from '../../src/protocol/crypto/index.js';
import { aibotCallbackJson, groupCallbackJson, groupCallbackXml, randomSecrets } from '../../src/testing/fake-group/index.js';
import { corpCallbackXml } from '../../src/testing/fake-corp/corp-events.js';
import { FUZZ_TIMEOUT_MS, fuzzParams } from './runs.js';

/** Only wecombot's own typed errors may come out of a parser; anything else is a bug. */
function onlyTypedErrors(work: () => unknown): void {
  try {
    work();
  } catch (err) {
    if (!(err instanceof WecombotError)) throw err;
    expect(err.code).toMatch(/^[a-z0-9_]+$/);
  }
}

const from = { userId: 'zhangsan', name: '张三' };
const VALID = {
  groupXml: groupCallbackXml(
    { msgId: 'm1', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', chatId: 'c1', chatType: 'group', from },
    { kind: 'text', content: '@bot 你好 <b>&amp;' },
  ),
  groupJson: groupCallbackJson(
    { msgId: 'm2', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', chatId: 'c1', chatType: 'group', from },
    { kind: 'text', content: '@bot hi' },
  ),
  aibot: aibotCallbackJson({ msgId: 'm3', aibotId: 'ai1', chatType: 'single', from }, { kind: 'text', content: 'hello' }),
  corp: corpCallbackXml({ corpId: 'ww5b6c7d8e9f0a1b2c', createTime: 1700000000 }, { kind: 'chat', changeType: 'dismiss', chatId: 'wrX' }),
};

/** A valid document, mutated: a slice dropped, a string inserted, a character replaced, or cut. */
function mutated(valid: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: valid.length });
  return fc.oneof(
    fc.tuple(at, at).map(([a, b]) => valid.slice(0, Math.min(a, b)) + valid.slice(Math.max(a, b))),
    fc.tuple(at, fc.string({ unit: 'binary', maxLength: 20 })).map(([a, s]) => valid.slice(0, a) + s + valid.slice(a)),
    fc
      .tuple(at, fc.constantFrom('<', '>', '"', '&', '{', '}', '\u0000', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '1e999', '-0', '\\u'))
      .map(([a, s]) => valid.slice(0, a) + s + valid.slice(a + 1)),
    at.map((a) => valid.slice(0, a)),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

describe('fuzz: the callback parsers take hostile bodies with typed errors only', () => {
  const params = fuzzParams(1000);
  it.each(Object.entries(VALID))(
    'mutated %s',
    (name, valid) => {
      fc.assert(
        fc.property(mutated(valid), (text) => {
          const body = Buffer.from(text);
          onlyTypedErrors(() => detectCallbackFormat(body));
          onlyTypedErrors(() => parseEncryptedEnvelope(body, name.endsWith('Xml') || name === 'corp' ? 'xml' : 'json'));
          onlyTypedErrors(() => parseJsonBody(body));
          if (name === 'groupXml') onlyTypedErrors(() => parseGroupCallbackXml(body));
          if (name === 'groupJson') onlyTypedErrors(() => parseGroupCallbackJson(body));
          if (name === 'aibot') onlyTypedErrors(() => parseAibotCallback(body));
          if (name === 'corp') onlyTypedErrors(() => parseCorpCallbackXml(body));
        }),
        params,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'decrypt and verify: mutated ciphertexts, signatures and query values',
    () => {
      const secrets = randomSecrets();
      const crypto = new WecomCrypto({ token: secrets.token, encodingAESKey: secrets.encodingAesKey, receiveId: '' });
      const valid = crypto.encrypt('hello 你好');
      fc.assert(
        fc.property(mutated(valid), fc.string({ maxLength: 60 }), (ciphertext, sig) => {
          onlyTypedErrors(() => crypto.decrypt(ciphertext));
          const timestamp = String(Math.floor(Date.now() / 1000));
          onlyTypedErrors(() => crypto.decryptMessage({ msgSignature: sig, timestamp, nonce: 'n', encrypt: ciphertext }));
          onlyTypedErrors(() =>
            crypto.decryptMessage({ msgSignature: crypto.sign(timestamp, 'n', ciphertext), timestamp, nonce: 'n', encrypt: ciphertext }),
          );
        }),
        params,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
