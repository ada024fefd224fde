import { createHmac } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  flatJsonAck,
  flatJsonDisabledError,
  isFlatJsonBody,
  isFlatJsonPassive,
  openFlatJson,
  renderFlatJsonReply,
  resolveFlatJsonOptions,
  signFlatJsonBody,
  type FlatJsonOptions,
  type ResolvedFlatJsonOptions,
} from '../../src/bot/flat-json.js';
import { BotConfigError, BotRequestError } from '../../src/bot/errors.js';
import { botRequest, type BotRequest } from '../../src/bot/request.js';
import { CallbackParseError } from '../../src/protocol/callback/errors.js';

// The real timingSafeEqual, wrapped so the tests can see that every comparison goes through it.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const SECRET = 'flat-json-shared-secret-0123456789';
const WEBHOOK_KEY = '6c3a1f2e-9b7d-4e21-8a55-0f1d2c3b4a59';
const HOOK_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WEBHOOK_KEY}`;
const NOW_S = 1_760_000_000;
const NOW_MS = NOW_S * 1000;

const BODY = JSON.stringify({
  msgType: 'text',
  msgContent: '@小助手 查询 订单',
  chatId: 'wrkSFfCgAA1AxOagtYsQ5R-iw',
  botKey: WEBHOOK_KEY,
  hookUrl: HOOK_URL,
  botName: '小助手',
  userName: 'zhangsan',
  msgId: 'fCgAA1AxOagtYsQ5R',
  chatType: 'group',
  chatInfoUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=C1',
});

/** The MAC computed here, independently of the code under test. */
function hmacHex(data: string): string {
  return createHmac('sha256', SECRET).update(data, 'utf8').digest('hex');
}

function post(headers: Record<string, string>, body: string | Uint8Array = BODY, url = '/wecom/flat'): BotRequest {
  return botRequest({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, body });
}

function signed(body: string = BODY, ts: number = NOW_S): BotRequest {
  return post({ 'x-wecombot-timestamp': String(ts), 'x-wecombot-signature': `sha256=${hmacHex(`${ts}.${body}`)}` }, body);
}

const hmac = resolveFlatJsonOptions({ sharedSecret: SECRET });
const token = resolveFlatJsonOptions({ sharedSecret: SECRET, auth: 'token', queryToken: true });

/** The timingSafeEqual calls `fn` makes (mockClear would also drop the wrapped implementation). */
function constantTimeCalls(fn: () => void): unknown[][] {
  const calls = vi.mocked(nodeCrypto.timingSafeEqual).mock.calls;
  const before = calls.length;
  fn();
  return calls.slice(before);
}

function refusal(fn: () => unknown): BotRequestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BotRequestError);
    return err as BotRequestError;
  }
  throw new Error('expected a BotRequestError');
}

function configError(input: unknown): BotConfigError {
  try {
    resolveFlatJsonOptions(input as FlatJsonOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(BotConfigError);
    return err as BotConfigError;
  }
  throw new Error('expected a BotConfigError');
}

/** Everything an error could put into a log line, causes included. */
function loggable(err: Error): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    parts.push(e.message, String(e.stack), (e as { hint?: string }).hint ?? '', JSON.stringify(e));
  }
  return parts.join('\n');
}

function expectNoSecrets(err: Error): void {
  const text = loggable(err);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(WEBHOOK_KEY);
}

describe('resolveFlatJsonOptions', () => {
  it('applies the defaults', () => {
    expect({ ...hmac }).toEqual({
      auth: 'hmac',
      header: 'x-wecombot-signature',
      timestampHeader: 'x-wecombot-timestamp',
      requireTimestamp: true,
      maxSkewSeconds: 300,
      queryToken: false,
      maxBodyBytes: 64 * 1024,
      allowedOrigins: ['https://qyapi.weixin.qq.com'],
      reply: 'webhook',
    });
    expect(hmac.sharedSecret).toBe(SECRET);
    expect(resolveFlatJsonOptions({ sharedSecret: SECRET, auth: 'token' }).header).toBe('x-wecombot-token');
  });

  it('keeps the secret out of spreads, JSON and util.inspect', () => {
    expect(JSON.stringify(hmac)).not.toContain(SECRET);
    expect(inspect(hmac)).not.toContain(SECRET);
    expect(Object.keys(hmac)).not.toContain('sharedSecret');
  });

  it('lower-cases header names (BotRequest headers are lower-case)', () => {
    const o = resolveFlatJsonOptions({ sharedSecret: SECRET, header: 'X-Gateway-Sig', timestampHeader: 'X-Gateway-Time' });
    expect([o.header, o.timestampHeader]).toEqual(['x-gateway-sig', 'x-gateway-time']);
  });

  it.each([
    ['flatJson.sharedSecret', { sharedSecret: 'short-secret' }],
    ['flatJson.sharedSecret', { sharedSecret: 1234567890123456 }],
    ['flatJson.sharedSecret', {}],
    ['flatJson.sharedSecret', { sharedSecret: `${SECRET}\n` }],
    ['flatJson.auth', { sharedSecret: SECRET, auth: 'basic' }],
    ['flatJson.header', { sharedSecret: SECRET, header: 'x sig' }],
    ['flatJson.timestampHeader', { sharedSecret: SECRET, timestampHeader: '' }],
    ['flatJson.requireTimestamp', { sharedSecret: SECRET, requireTimestamp: 'yes' }],
    ['flatJson.maxSkewSeconds', { sharedSecret: SECRET, maxSkewSeconds: 0 }],
    ['flatJson.maxSkewSeconds', { sharedSecret: SECRET, maxSkewSeconds: 86_400 }],
    ['flatJson.maxBodyBytes', { sharedSecret: SECRET, maxBodyBytes: 1.5 }],
    ['flatJson.queryToken', { sharedSecret: SECRET, queryToken: true }],
    ['flatJson.allowedOrigins', { sharedSecret: SECRET, allowedOrigins: [] }],
    ['flatJson.allowedOrigins[0]', { sharedSecret: SECRET, allowedOrigins: ['https://qyapi.weixin.qq.com/cgi-bin'] }],
    ['flatJson.allowedOrigins[1]', { sharedSecret: SECRET, allowedOrigins: ['https://qyapi.weixin.qq.com', 'qyapi'] }],
    ['flatJson.reply', { sharedSecret: SECRET, reply: 'passive' }],
    ['flatJson.sharedSecert', { sharedSecret: SECRET, sharedSecert: SECRET }],
  ])('names %s', (field, input) => {
    const err = configError(input);
    expect(err.code).toBe('bot_config_invalid');
    expect(err.message).toContain(field);
    expect(loggable(err)).not.toContain(SECRET);
  });

  it('refuses a non-object', () => {
    expect(configError('secret').message).toContain('flatJson');
  });
});

describe('isFlatJsonBody', () => {
  const bytes = (s: string) => Buffer.from(s, 'utf8');

  it('recognises the flat body, also after whitespace', () => {
    expect(isFlatJsonBody(bytes(BODY))).toBe(true);
    expect(isFlatJsonBody(bytes(`\r\n  ${BODY}`))).toBe(true);
  });

  it('leaves encrypted envelopes and everything else to the other paths', () => {
    expect(isFlatJsonBody(bytes('{"encrypt":"abc=="}'))).toBe(false);
    expect(isFlatJsonBody(bytes('{"msgType":"text","encrypt":"abc=="}'))).toBe(false);
    expect(isFlatJsonBody(bytes('<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>'))).toBe(false);
    expect(isFlatJsonBody(bytes('{"msgtype":"text"}'))).toBe(false);
    expect(isFlatJsonBody(bytes('[{"msgType":"text"}]'))).toBe(false);
    expect(isFlatJsonBody(new Uint8Array())).toBe(false);
  });

  it('is not fooled by "encrypt" inside a string value', () => {
    const body = JSON.stringify({ msgType: 'text', msgContent: 'what is {"encrypt": 1}?' });
    expect(isFlatJsonBody(bytes(body))).toBe(true);
  });

  it('reads a view into a larger buffer at its offset', () => {
    const big = Buffer.from(`xxxx${BODY}`, 'utf8');
    expect(isFlatJsonBody(big.subarray(4))).toBe(true);
    expect(isFlatJsonBody(big.subarray(0, 10))).toBe(false);
  });
});

describe('flatJsonDisabledError', () => {
  it('is a 415 whose hint says how to enable the dialect', () => {
    const err = flatJsonDisabledError();
    expect(err.status).toBe(415);
    expect(err.code).toBe('bot_flat_json_disabled');
    expect(err.hint).toContain('flatJson: { sharedSecret }');
  });
});

describe('openFlatJson with an HMAC signature', () => {
  it('accepts a body signed over "<timestamp>.<body>" and returns the typed message', () => {
    expect(openFlatJson(signed(), hmac, NOW_MS)).toMatchObject({
      robot: 'group',
      dialect: 'flat-json',
      type: 'text',
      webhookUrl: HOOK_URL,
      from: { userId: 'zhangsan' },
    });
  });

  it('compares in constant time, on equal-length digests', () => {
    const calls = constantTimeCalls(() => {
      openFlatJson(signed(), hmac, NOW_MS);
      refusal(() =>
        openFlatJson(post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': `sha256=${'0'.repeat(64)}` }), hmac, NOW_MS),
      );
      refusal(() => openFlatJson(post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': 'sha256=abc' }), hmac, NOW_MS));
    });
    expect(calls).toHaveLength(3);
    for (const [a, b] of calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });

  it('signFlatJsonBody gives the same header value as an independent HMAC', () => {
    expect(signFlatJsonBody(BODY, SECRET, NOW_S)).toBe(`sha256=${hmacHex(`${NOW_S}.${BODY}`)}`);
    expect(signFlatJsonBody(Buffer.from(BODY), SECRET)).toBe(`sha256=${hmacHex(BODY)}`);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    const req = post({
      'x-wecombot-timestamp': ` ${NOW_S} `,
      'x-wecombot-signature': ` sha256=${hmacHex(`${NOW_S}.${BODY}`).toUpperCase()} `,
    });
    expect(openFlatJson(req, hmac, NOW_MS)).toMatchObject({ type: 'text' });
  });

  it('refuses a wrong secret, a tampered body and an unbound timestamp', () => {
    const other = createHmac('sha256', 'another-secret-0123456789abcdef').update(`${NOW_S}.${BODY}`).digest('hex');
    const cases = [
      post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': `sha256=${other}` }),
      post(
        { 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': `sha256=${hmacHex(`${NOW_S}.${BODY}`)}` },
        BODY.replace('zhangsan', 'lisi'),
      ),
      post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': `sha256=${hmacHex(BODY)}` }),
      post({ 'x-wecombot-timestamp': String(NOW_S + 1), 'x-wecombot-signature': `sha256=${hmacHex(`${NOW_S}.${BODY}`)}` }),
      post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': `sha1=${hmacHex(`${NOW_S}.${BODY}`)}` }),
      post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': hmacHex(`${NOW_S}.${BODY}`) }),
    ];
    for (const req of cases) {
      const err = refusal(() => openFlatJson(req, hmac, NOW_MS));
      expect([err.status, err.code]).toEqual([401, 'bot_signature_mismatch']);
      expect(err.hint).toContain('flatJson.sharedSecret');
      expectNoSecrets(err);
    }
  });

  it('refuses a request without a signature, even one carrying the right token', () => {
    const err = refusal(() => openFlatJson(post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-token': SECRET }), hmac, NOW_MS));
    expect([err.status, err.code]).toEqual([401, 'bot_auth_missing']);
    expect(err.message).toContain('x-wecombot-signature');
    expectNoSecrets(err);
  });

  it('refuses a missing timestamp unless requireTimestamp is off, then the MAC covers the body alone', () => {
    const bodyOnly = post({ 'x-wecombot-signature': `sha256=${hmacHex(BODY)}` });
    const err = refusal(() => openFlatJson(bodyOnly, hmac, NOW_MS));
    expect([err.status, err.code]).toEqual([401, 'bot_auth_missing']);
    expect(err.hint).toContain('requireTimestamp');
    const relaxed = resolveFlatJsonOptions({ sharedSecret: SECRET, requireTimestamp: false });
    expect(openFlatJson(bodyOnly, relaxed, NOW_MS)).toMatchObject({ type: 'text' });
  });

  it('refuses a stale or future timestamp after checking the signature, and accepts the edge of the window', () => {
    for (const ts of [NOW_S - 301, NOW_S + 301]) {
      const err = refusal(() => openFlatJson(signed(BODY, ts), hmac, NOW_MS));
      expect([err.status, err.code]).toEqual([401, 'bot_timestamp_stale']);
      expect(err.hint).toContain('maxSkewSeconds');
    }
    expect(openFlatJson(signed(BODY, NOW_S - 300), hmac, NOW_MS)).toMatchObject({ type: 'text' });
    expect(openFlatJson(signed(BODY, NOW_S + 300), hmac, NOW_MS)).toMatchObject({ type: 'text' });
    // A stale timestamp with a bad signature is a mismatch: nothing is said about the clock.
    const forged = post({ 'x-wecombot-timestamp': String(NOW_S - 9999), 'x-wecombot-signature': `sha256=${'a'.repeat(64)}` });
    expect(refusal(() => openFlatJson(forged, hmac, NOW_MS)).code).toBe('bot_signature_mismatch');
  });

  it('refuses a timestamp that is not unix seconds', () => {
    for (const ts of [String(NOW_MS), '2025-10-09T00:00:00Z', '-5', '1e9']) {
      const req = post({ 'x-wecombot-timestamp': ts, 'x-wecombot-signature': `sha256=${hmacHex(`${ts}.${BODY}`)}` });
      expect(refusal(() => openFlatJson(req, hmac, NOW_MS)).code).toBe('bot_timestamp_stale');
    }
  });

  it('uses the configured header names', () => {
    const o = resolveFlatJsonOptions({ sharedSecret: SECRET, header: 'X-Gateway-Sig', timestampHeader: 'X-Gateway-Time' });
    const req = post({ 'X-Gateway-Time': String(NOW_S), 'X-Gateway-Sig': `sha256=${hmacHex(`${NOW_S}.${BODY}`)}` });
    expect(openFlatJson(req, o, NOW_MS)).toMatchObject({ type: 'text' });
    expect(refusal(() => openFlatJson(signed(), o, NOW_MS)).code).toBe('bot_auth_missing');
  });
});

describe('openFlatJson with a shared token', () => {
  it('accepts the token in the header, and in the query when queryToken is on', () => {
    expect(openFlatJson(post({ 'x-wecombot-token': SECRET }), token, NOW_MS)).toMatchObject({ type: 'text' });
    const inQuery = post({}, BODY, `/wecom/flat?token=${encodeURIComponent(SECRET)}`);
    expect(openFlatJson(inQuery, token, NOW_MS)).toMatchObject({ type: 'text' });
    const headerOnly = resolveFlatJsonOptions({ sharedSecret: SECRET, auth: 'token' });
    const err = refusal(() => openFlatJson(inQuery, headerOnly, NOW_MS));
    expect([err.status, err.code]).toEqual([401, 'bot_auth_missing']);
    expect(err.hint).toContain('queryToken');
  });

  it('refuses a wrong token of any length, comparing equal-length digests in constant time', () => {
    const calls = constantTimeCalls(() => {
      for (const wrong of ['wrong-token-ZQ', `${SECRET}x`, SECRET.toUpperCase(), SECRET.slice(0, -1)]) {
        const err = refusal(() => openFlatJson(post({ 'x-wecombot-token': wrong }), token, NOW_MS));
        expect([err.status, err.code]).toEqual([401, 'bot_token_mismatch']);
        expectNoSecrets(err);
        expect(loggable(err)).not.toContain(wrong);
      }
    });
    expect(calls).toHaveLength(4);
    for (const [a, b] of calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
  });

  it('refuses a request without a token, and does not take an HMAC signature instead', () => {
    const err = refusal(() => openFlatJson(signed(), token, NOW_MS));
    expect([err.status, err.code]).toEqual([401, 'bot_auth_missing']);
    expect(err.message).toContain('x-wecombot-token');
  });
});

describe('openFlatJson: body checks after authentication', () => {
  it('refuses an oversized body with 413 before looking at the credentials', () => {
    const small = resolveFlatJsonOptions({ sharedSecret: SECRET, maxBodyBytes: 100 });
    const err = refusal(() => openFlatJson(post({}), small, NOW_MS));
    expect([err.status, err.code]).toEqual([413, 'bot_body_too_large']);
    expect(err.hint).toContain('flatJson.maxBodyBytes');
  });

  it('turns a parse error into a 400 with the CallbackParseError as cause, naming the field', () => {
    const body = JSON.stringify({ ...JSON.parse(BODY), chatType: 'private' });
    const err = refusal(() => openFlatJson(signed(body), hmac, NOW_MS));
    expect([err.status, err.code]).toEqual([400, 'bot_malformed']);
    expect(err.cause).toBeInstanceOf(CallbackParseError);
    expect((err.cause as CallbackParseError).field).toBe('chatType');
    expect(err.message).toContain('chatType');
    expectNoSecrets(err);
  });

  it('refuses signed bytes that are not UTF-8, and signed broken JSON, without echoing them', () => {
    const latin = Buffer.concat([Buffer.from(BODY.slice(0, 30)), Buffer.from([0xff, 0xfe]), Buffer.from(BODY.slice(30))]);
    const sig = `sha256=${createHmac('sha256', SECRET).update(`${NOW_S}.`).update(latin).digest('hex')}`;
    const notUtf8 = refusal(() =>
      openFlatJson(post({ 'x-wecombot-timestamp': String(NOW_S), 'x-wecombot-signature': sig }, latin), hmac, NOW_MS),
    );
    expect([notUtf8.status, (notUtf8.cause as CallbackParseError).code]).toEqual([400, 'callback_body_not_utf8']);
    const broken = `{"botKey":x${WEBHOOK_KEY},"hookUrl":"${HOOK_URL}"`;
    const err = refusal(() => openFlatJson(signed(broken), hmac, NOW_MS));
    expect([err.status, (err.cause as CallbackParseError).code]).toEqual([400, 'callback_json_malformed']);
    expect(loggable(err)).not.toContain(WEBHOOK_KEY.slice(0, 8));
    expectNoSecrets(err);
  });

  it('lets an unknown msgType through as the unknown variant (the caller acknowledges it)', () => {
    const body = JSON.stringify({ ...JSON.parse(BODY), msgType: 'location' });
    expect(openFlatJson(signed(body), hmac, NOW_MS)).toMatchObject({ type: 'unknown', rawType: 'location', dialect: 'flat-json' });
  });
});

describe('the answer', () => {
  const response = resolveFlatJsonOptions({ sharedSecret: SECRET, reply: 'response' }) as ResolvedFlatJsonOptions;
  const text = { msgtype: 'text' as const, text: { content: '订单已发货' } };
  const markdown = { msgtype: 'markdown' as const, markdown: { content: '**已发货**' } };

  it('acknowledges with 200 and an empty JSON object', () => {
    const ack = flatJsonAck();
    expect([ack.status, ack.body, ack.headers['content-type']]).toEqual([200, '{}', 'application/json; charset=utf-8']);
  });

  it('answers in the body only with reply: response, and only what the flat shape carries whole', () => {
    expect(isFlatJsonPassive(hmac, text)).toBe(false);
    expect(isFlatJsonPassive(response, text)).toBe(true);
    expect(isFlatJsonPassive(response, markdown)).toBe(true);
    expect(isFlatJsonPassive(response, { msgtype: 'text', text: { content: 'hi', mentioned_list: ['zhangsan'] } })).toBe(false);
    expect(isFlatJsonPassive(response, { ...text, visible_to_user: 'zhangsan' })).toBe(false);
    expect(isFlatJsonPassive(response, { msgtype: 'text', text: { content: 'x'.repeat(2049) } })).toBe(false);
    expect(isFlatJsonPassive(response, { msgtype: 'image', image: { base64: 'AA==', md5: '0'.repeat(32) } })).toBe(false);
  });

  it('renders text and markdown as {"msgType","msgContent"} and refuses anything else', () => {
    expect(JSON.parse(renderFlatJsonReply(text).body)).toEqual({ msgType: 'text', msgContent: '订单已发货' });
    expect(JSON.parse(renderFlatJsonReply(markdown).body)).toEqual({ msgType: 'markdown', msgContent: '**已发货**' });
    expect(() => renderFlatJsonReply({ msgtype: 'image', image: { base64: 'AA==', md5: '0'.repeat(32) } })).toThrow(TypeError);
  });
});
