import { describe, expect, it } from 'vitest';
import { parseFlatJsonCallback } from '../../../src/protocol/callback/flat-json.js';
import type { CallbackParseError } from '../../../src/protocol/callback/errors.js';
import { parseErrorOf } from './errors.js';

const WEBHOOK_KEY = '6c3a1f2e-9b7d-4e21-8a55-0f1d2c3b4a59';
const BOT_KEY = WEBHOOK_KEY;
const CHAT_INFO_CODE = 'CODE-5f0e9d8c7b6a';
const HOOK_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WEBHOOK_KEY}`;
const CHAT_INFO_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=${CHAT_INFO_CODE}`;
const SECRETS = [WEBHOOK_KEY, CHAT_INFO_CODE];

/** The seed article's ten fields, as a text message in a group. */
function flat(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    msgType: 'text',
    msgContent: '@小助手 查询 订单',
    chatId: 'wrkSFfCgAA1AxOagtYsQ5R-iw',
    botKey: BOT_KEY,
    hookUrl: HOOK_URL,
    botName: '小助手',
    userName: 'zhangsan',
    msgId: 'fCgAA1AxOagtYsQ5R',
    chatType: 'group',
    chatInfoUrl: CHAT_INFO_URL,
    ...overrides,
  };
}

function body(value: unknown): string {
  return JSON.stringify(value);
}

function without(key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const copy = flat(overrides);
  delete copy[key];
  return copy;
}

function expectNoSecret(err: CallbackParseError): void {
  const text = `${err.message} ${err.hint ?? ''} ${err.field ?? ''} ${String(err.stack)}`;
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('parseFlatJsonCallback: message types', () => {
  it('maps a text message onto the group text callback, marked as flat JSON', () => {
    expect(parseFlatJsonCallback(body(flat()))).toEqual({
      robot: 'group',
      format: 'json',
      dialect: 'flat-json',
      type: 'text',
      msgId: 'fCgAA1AxOagtYsQ5R',
      webhookUrl: HOOK_URL,
      chatId: 'wrkSFfCgAA1AxOagtYsQ5R-iw',
      chatType: 'group',
      getChatInfoUrl: CHAT_INFO_URL,
      botName: '小助手',
      from: { userId: 'zhangsan', name: 'zhangsan' },
      text: '@小助手 查询 订单',
    });
  });

  it('keeps msgContent verbatim, with or without the leading mention, and accepts an empty one', () => {
    expect(parseFlatJsonCallback(body(flat({ msgContent: '查询 订单' })))).toMatchObject({ text: '查询 订单' });
    expect(parseFlatJsonCallback(body(flat({ msgContent: '' })))).toMatchObject({ type: 'text', text: '' });
  });

  it('never copies botKey into the message', () => {
    const message = parseFlatJsonCallback(body(flat({ hookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=OTHER' })));
    expect(JSON.stringify(message)).not.toContain(BOT_KEY);
  });

  it('reads every documented chat type and leaves out an absent chatInfoUrl and botName', () => {
    for (const chatType of ['single', 'group', 'blackboard', 'blackboard_reply']) {
      expect(parseFlatJsonCallback(body(flat({ chatType })))).toMatchObject({ chatType });
    }
    const single = parseFlatJsonCallback(body(without('chatInfoUrl', { chatType: 'single', botName: undefined })));
    expect(single).not.toHaveProperty('getChatInfoUrl');
    expect(single).not.toHaveProperty('botName');
  });

  it('maps an event with eventType, with the sender when userName is there', () => {
    expect(parseFlatJsonCallback(body(flat({ msgType: 'event', eventType: 'add_to_chat', msgContent: undefined })))).toMatchObject({
      type: 'event',
      eventType: 'add_to_chat',
      from: { userId: 'zhangsan' },
    });
    const noSender = parseFlatJsonCallback(body(without('userName', { msgType: 'event', eventType: 'delete_from_chat' })));
    expect(noSender).toMatchObject({ type: 'event', eventType: 'delete_from_chat', dialect: 'flat-json' });
    expect(noSender).not.toHaveProperty('from');
  });

  it('maps an image whose msgContent is a URL; any other image is unknown, not a guess', () => {
    expect(parseFlatJsonCallback(body(flat({ msgType: 'image', msgContent: 'https://wework.example/i.png' })))).toMatchObject({
      type: 'image',
      imageUrl: 'https://wework.example/i.png',
      from: { userId: 'zhangsan' },
    });
    expect(parseFlatJsonCallback(body(flat({ msgType: 'image', msgContent: '[图片]' })))).toMatchObject({
      type: 'unknown',
      rawType: 'image',
    });
  });

  it('gives an unknown msgType the unknown variant, with ids and a raw copy free of secrets', () => {
    const message = parseFlatJsonCallback(body(flat({ msgType: 'voice' })));
    expect(message).toMatchObject({
      robot: 'group',
      format: 'json',
      dialect: 'flat-json',
      type: 'unknown',
      rawType: 'voice',
      msgId: 'fCgAA1AxOagtYsQ5R',
      chatId: 'wrkSFfCgAA1AxOagtYsQ5R-iw',
    });
    if (message.type !== 'unknown') throw new Error('expected unknown');
    expect(message.raw).toMatchObject({ msgContent: '@小助手 查询 订单', botKey: '***' });
    expect(message.raw.hookUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
    expect(message.raw.chatInfoUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=***');
    for (const secret of SECRETS) expect(JSON.stringify(message)).not.toContain(secret);
  });

  it('gives an unknown event type the unknown variant with its raw event type', () => {
    expect(parseFlatJsonCallback(body(flat({ msgType: 'event', eventType: 'kicked_out' })))).toMatchObject({
      type: 'unknown',
      rawType: 'event',
      rawEventType: 'kicked_out',
    });
  });

  it('keeps a msgId of 16+ digits exact', () => {
    const text = body(flat()).replace('"fCgAA1AxOagtYsQ5R"', '12345678901234567890');
    expect(parseFlatJsonCallback(text)).toMatchObject({ msgId: '12345678901234567890' });
  });

  it('reads bytes as well as strings, with a leading BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(body(flat()), 'utf8')]);
    expect(parseFlatJsonCallback(bytes)).toMatchObject({ type: 'text', text: '@小助手 查询 订单' });
  });

  it('does not let a __proto__ key reach the prototype', () => {
    const message = parseFlatJsonCallback('{"__proto__":{"polluted":1},' + body(flat()).slice(1));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(message).toMatchObject({ type: 'text' });
  });
});

describe('parseFlatJsonCallback: refusals name the field and never the secret', () => {
  it.each([
    ['msgType', without('msgType')],
    ['msgId', without('msgId')],
    ['chatId', without('chatId')],
    ['chatType', without('chatType')],
    ['hookUrl', without('hookUrl')],
    ['userName', without('userName')],
    ['msgContent', without('msgContent')],
    ['eventType', flat({ msgType: 'event' })],
    ['msgId', flat({ msgId: '' })],
  ])('a missing %s', (field, value) => {
    const err = parseErrorOf(() => parseFlatJsonCallback(body(value)));
    expect(err.code).toBe('callback_missing_field');
    expect(err.field).toBe(field);
    expect(err.message).toContain(field);
    expectNoSecret(err);
  });

  it.each([
    ['chatId', flat({ chatId: { id: 'wr1' } })],
    ['msgContent', flat({ msgContent: ['a'] })],
    ['userName', flat({ userName: true })],
    ['msgType', flat({ msgType: { type: 'text' } })],
    ['msgType', flat({ msgType: false })],
    ['botKey', flat({ botKey: { key: BOT_KEY } })],
    ['botName', flat({ botName: ['x'] })],
    ['chatType', flat({ chatType: 'private' })],
    ['hookUrl', flat({ hookUrl: `https://evil.example/cgi-bin/webhook/send?key=${WEBHOOK_KEY}` })],
    ['hookUrl', flat({ hookUrl: `http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WEBHOOK_KEY}` })],
    ['hookUrl', flat({ hookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' })],
    ['hookUrl', flat({ hookUrl: 'string' })],
    ['chatInfoUrl', flat({ chatInfoUrl: `https://evil.example/get_chat_info?code=${CHAT_INFO_CODE}` })],
  ])('a wrong %s', (field, value) => {
    const err = parseErrorOf(() => parseFlatJsonCallback(body(value)));
    expect(err.code).toBe('callback_invalid_field');
    expect(err.field).toBe(field);
    expectNoSecret(err);
  });

  it('accepts hook and chat-info URLs on an origin the caller allows (a local fake WeCom)', () => {
    const local = 'http://127.0.0.1:8080';
    const message = parseFlatJsonCallback(
      body(flat({ hookUrl: `${local}/cgi-bin/webhook/send?key=K`, chatInfoUrl: `${local}/cgi-bin/webhook/get_chat_info?code=C` })),
      { allowedOrigins: [local] },
    );
    expect(message).toMatchObject({ webhookUrl: `${local}/cgi-bin/webhook/send?key=K` });
    // The allow-list replaces the default: WeCom's own origin is then refused.
    expect(parseErrorOf(() => parseFlatJsonCallback(body(flat()), { allowedOrigins: [local] })).field).toBe('hookUrl');
  });

  it('refuses a body over maxBytes before parsing it', () => {
    const err = parseErrorOf(() => parseFlatJsonCallback(body(flat({ msgContent: 'x'.repeat(2000) })), { maxBytes: 1024 }));
    expect(err.code).toBe('callback_body_too_large');
    expectNoSecret(err);
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = Buffer.from(body(flat()), 'utf8');
    const broken = new Uint8Array([...bytes.subarray(0, 20), 0xc3, 0x28, ...bytes.subarray(20)]);
    expect(parseErrorOf(() => parseFlatJsonCallback(broken)).code).toBe('callback_body_not_utf8');
    const gbk = new Uint8Array([...Buffer.from('{"msgContent":"'), 0xb2, 0xe9, 0xd1, 0xaf, ...Buffer.from('"}')]);
    expect(parseErrorOf(() => parseFlatJsonCallback(gbk)).code).toBe('callback_body_not_utf8');
  });

  it('refuses an empty body, a non-object and broken JSON, without quoting the body', () => {
    expect(parseErrorOf(() => parseFlatJsonCallback('  ')).code).toBe('callback_body_empty');
    expect(parseErrorOf(() => parseFlatJsonCallback('[{"msgType":"text"}]')).code).toBe('callback_json_malformed');
    expect(parseErrorOf(() => parseFlatJsonCallback('"text"')).code).toBe('callback_json_malformed');
    // V8 quotes ~10 characters of this body in its own message: 'Unexpected token 'x', "{"botKey":x6c3a1f2e-"... is not valid JSON'.
    const quoted = `{"botKey":x${WEBHOOK_KEY},"hookUrl":"${HOOK_URL}"}`;
    expect(() => JSON.parse(quoted)).toThrow(WEBHOOK_KEY.slice(0, 8));
    const err = parseErrorOf(() => parseFlatJsonCallback(quoted));
    expect(err.code).toBe('callback_json_malformed');
    expect(err.message).not.toContain(WEBHOOK_KEY.slice(0, 8));
    expect(err.cause).toBeUndefined();
    expectNoSecret(err);
    const trailing = parseErrorOf(() => parseFlatJsonCallback(`{"hookUrl":"${HOOK_URL}",}`));
    expect(trailing.message).toMatch(/at position \d+/);
    expectNoSecret(trailing);
  });
});
