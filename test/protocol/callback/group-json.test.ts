import { describe, expect, it } from 'vitest';
import { parseGroupCallbackJson } from '../../../src/protocol/callback/group.js';
import { JSON_ATTACHMENT, JSON_EVENT, JSON_IMAGE, JSON_MIXED, JSON_TEXT, groupJson } from '../fixtures/group-callbacks.js';
import { parseErrorOf } from './errors.js';

describe('parseGroupCallbackJson', () => {
  it('parses a text message with every common field, postid included', () => {
    expect(parseGroupCallbackJson(JSON_TEXT)).toEqual({
      robot: 'group',
      format: 'json',
      type: 'text',
      msgId: 'MJ1',
      webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KJ',
      chatId: 'wrBB',
      postId: 'POST9',
      chatType: 'blackboard_reply',
      from: { userId: 'wangwu', name: '王五', alias: 'wu' },
      getChatInfoUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CJ',
      text: '@机器人 查询 订单',
    });
  });

  it('parses image, mixed, event and attachment', () => {
    expect(parseGroupCallbackJson(JSON_IMAGE)).toMatchObject({ type: 'image', imageUrl: 'https://wework.example/j.png' });
    expect(parseGroupCallbackJson(JSON_MIXED)).toMatchObject({
      type: 'mixed',
      items: [
        { type: 'text', text: 'hello' },
        { type: 'image', imageUrl: 'https://wework.example/m.png' },
      ],
    });
    expect(parseGroupCallbackJson(JSON_EVENT)).toMatchObject({ type: 'event', eventType: 'add_to_chat' });
    expect(parseGroupCallbackJson(JSON_ATTACHMENT)).toMatchObject({
      type: 'attachment',
      callbackId: 'cb-json',
      actions: [
        { name: 'n1', value: 'v1', type: 'button' },
        { name: 'n2', value: 'v2', type: 'button' },
      ],
    });
  });

  it('keeps an oversized numeric msgid exact', () => {
    const body = JSON_TEXT.replace('"msgid":"MJ1"', '"msgid":12345678901234567890123');
    expect(parseGroupCallbackJson(body).msgId).toBe('12345678901234567890123');
  });

  it('accepts from.userId as the field table spells it', () => {
    const body = groupJson({ msgtype: 'text', text: { content: 'x' }, from: { userId: 'camel' } });
    expect(parseGroupCallbackJson(body)).toMatchObject({ from: { userId: 'camel' } });
  });

  it('omits optional fields that are absent', () => {
    const body = JSON.stringify({
      webhook_url: 'https://w',
      msgid: 'm',
      chatid: 'c',
      chattype: 'single',
      from: { userid: 'u' },
      msgtype: 'text',
      text: { content: '' },
    });
    const cb = parseGroupCallbackJson(body);
    expect(cb).toEqual({
      robot: 'group',
      format: 'json',
      type: 'text',
      msgId: 'm',
      webhookUrl: 'https://w',
      chatId: 'c',
      chatType: 'single',
      from: { userId: 'u' },
      text: '',
    });
    expect('postId' in cb).toBe(false);
  });

  it('returns unknown for an unknown msgtype', () => {
    expect(parseGroupCallbackJson(groupJson({ msgtype: 'command', command: { name: '/x' } }))).toMatchObject({
      type: 'unknown',
      rawType: 'command',
      format: 'json',
      msgId: 'MJ1',
    });
  });

  it.each([
    ['msgid', groupJson({ msgtype: 'text', text: { content: 'x' }, msgid: '' })],
    ['from.userid', groupJson({ msgtype: 'text', text: { content: 'x' }, from: { name: 'n' } })],
    ['text.content', groupJson({ msgtype: 'text', text: {} })],
    ['image.image_url', groupJson({ msgtype: 'image', image: { url: 'wrong-key' } })],
    ['event', groupJson({ msgtype: 'event' })],
    ['attachment.callbackid', groupJson({ msgtype: 'attachment', attachment: { callback_id: 'reply-key-not-callback-key', actions: [] } })],
    ['mixed_message.msg_item[0].msg_type', groupJson({ msgtype: 'mixed', mixed_message: { msg_item: [{ msgtype: 'text' }] } })],
  ])('names the missing field %s', (field, body) => {
    const error = parseErrorOf(() => parseGroupCallbackJson(body));
    expect(error.code).toBe('callback_missing_field');
    expect(error.field).toBe(field);
    expect(error.message).toBe(`callback field ${field} is missing`);
  });

  it('refuses wrong shapes with callback_invalid_field', () => {
    expect(parseErrorOf(() => parseGroupCallbackJson(groupJson({ msgtype: 'text', text: 'flat' }))).code).toBe('callback_invalid_field');
    expect(parseErrorOf(() => parseGroupCallbackJson(groupJson({ msgtype: 'text', text: { content: { a: 1 } } }))).field).toBe(
      'text.content',
    );
  });

  it('refuses malformed JSON and non-object JSON', () => {
    expect(parseErrorOf(() => parseGroupCallbackJson('{"msgtype":')).code).toBe('callback_json_malformed');
    expect(parseErrorOf(() => parseGroupCallbackJson('[1,2]')).code).toBe('callback_json_malformed');
    expect(parseErrorOf(() => parseGroupCallbackJson('null')).code).toBe('callback_json_malformed');
  });
});
