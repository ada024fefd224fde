import { describe, expect, it } from 'vitest';
import { parseGroupCallbackXml } from '../../../src/protocol/callback/group.js';
import {
  XML_ATTACHMENT,
  XML_ATTACHMENT_SNAKE,
  XML_ATTACHMENT_TWO,
  XML_IMAGE,
  XML_MIXED,
  XML_MIXED_ONE,
  XML_TEXT,
  xmlEvent,
} from '../fixtures/group-callbacks.js';
import { parseErrorOf } from './errors.js';

describe('parseGroupCallbackXml', () => {
  it('parses the §2.9 text example with every common field', () => {
    expect(parseGroupCallbackXml(XML_TEXT)).toEqual({
      robot: 'group',
      format: 'xml',
      type: 'text',
      msgId: 'M1',
      webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K',
      chatId: 'wrCHAT',
      chatType: 'group',
      from: { userId: 'u1', name: 'Name', alias: 'alias' },
      getChatInfoUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=C',
      text: '@bot ping',
    });
  });

  it('parses bytes as well as strings', () => {
    expect(parseGroupCallbackXml(Buffer.from(XML_TEXT))).toEqual(parseGroupCallbackXml(XML_TEXT));
  });

  it('keeps a MsgId beyond 2^53 exact', () => {
    const cb = parseGroupCallbackXml(XML_IMAGE);
    expect(cb.type === 'image' && cb.msgId).toBe('9223372036854775807123');
  });

  it('parses an image', () => {
    const cb = parseGroupCallbackXml(XML_IMAGE);
    expect(cb).toMatchObject({ type: 'image', chatType: 'single', imageUrl: 'https://wework.example/img?x=1&y=2' });
    expect(cb.type === 'image' && cb.from).toEqual({ userId: 'zhangsan', name: '张三', alias: 'san' });
  });

  it('parses mixed messages with several items and with one', () => {
    expect(parseGroupCallbackXml(XML_MIXED)).toMatchObject({
      type: 'mixed',
      items: [
        { type: 'text', text: '看这张图 😀' },
        { type: 'image', imageUrl: 'https://wework.example/a.png' },
      ],
    });
    expect(parseGroupCallbackXml(XML_MIXED_ONE)).toMatchObject({ type: 'mixed', items: [{ type: 'text', text: 'only text' }] });
  });

  it.each(['add_to_chat', 'delete_from_chat', 'enter_chat'])('parses the %s event', (eventType) => {
    expect(parseGroupCallbackXml(xmlEvent(eventType))).toMatchObject({ type: 'event', eventType, from: { userId: 'zhangsan' } });
  });

  it('parses an attachment click with one action and with several', () => {
    expect(parseGroupCallbackXml(XML_ATTACHMENT)).toMatchObject({
      type: 'attachment',
      callbackId: 'approve-42',
      actions: [{ name: 'decision', value: 'yes', type: 'button' }],
    });
    expect(parseGroupCallbackXml(XML_ATTACHMENT_TWO)).toMatchObject({
      actions: [
        { name: 'a', value: '1', type: 'button' },
        { name: 'b', value: '2', type: 'button' },
      ],
    });
  });

  it('reads attachment events sent with snake_case element names', () => {
    expect(parseGroupCallbackXml(XML_ATTACHMENT_SNAKE)).toMatchObject({
      format: 'xml',
      type: 'attachment',
      msgId: 'M-snake',
      chatType: 'group',
      from: { userId: 'lisi', name: '李四' },
      callbackId: 'cb1',
      actions: [{ name: 'n', value: 'v', type: 'button' }],
    });
  });

  it('returns unknown for an unknown MsgType or event type instead of throwing', () => {
    const unknown = parseGroupCallbackXml(XML_TEXT.replace('<MsgType>text</MsgType>', '<MsgType>command</MsgType>'));
    expect(unknown).toMatchObject({ robot: 'group', type: 'unknown', rawType: 'command', msgId: 'M1', chatId: 'wrCHAT' });
    expect(unknown.type === 'unknown' && unknown.raw.MsgType).toBe('command');
    expect(parseGroupCallbackXml(xmlEvent('robot_renamed'))).toMatchObject({
      type: 'unknown',
      rawType: 'event',
      rawEventType: 'robot_renamed',
    });
  });

  it.each([
    ['MsgId', XML_TEXT.replace('<MsgId><![CDATA[M1]]></MsgId>', '')],
    ['WebhookUrl', XML_TEXT.replace(/<WebhookUrl>.*<\/WebhookUrl>/, '')],
    ['ChatId', XML_TEXT.replace('<ChatId><![CDATA[wrCHAT]]></ChatId>', '<ChatId></ChatId>')],
    ['ChatType', XML_TEXT.replace('<ChatType>group</ChatType>', '')],
    ['MsgType', XML_TEXT.replace('<MsgType>text</MsgType>', '')],
    ['From', XML_TEXT.replace(/<From>.*<\/From>/, '')],
    ['From/UserId', XML_TEXT.replace('<UserId>u1</UserId>', '')],
    ['Text', XML_TEXT.replace(/<Text>.*<\/Text>/, '')],
    ['Text/Content', XML_TEXT.replace(/<Content>.*<\/Content>/, '<Other>x</Other>')],
    ['Image', XML_IMAGE.replace(/<ImageUrl>.*<\/ImageUrl>/, '')],
    ['Image/ImageUrl', XML_IMAGE.replace(/<ImageUrl>.*<\/ImageUrl>/, '<ImageUrl> </ImageUrl><X>1</X>')],
    ['Event', xmlEvent('x').replace(/<Event>.*<\/Event>/, '')],
    ['Attachment/CallbackId', XML_ATTACHMENT.replace(/<CallbackId>.*<\/CallbackId>/, '')],
    ['MixedMessage/MsgItem', XML_MIXED.replace(/<MixedMessage>[\s\S]*<\/MixedMessage>/, '<MixedMessage></MixedMessage>')],
  ])('names the missing field %s', (field, body) => {
    const error = parseErrorOf(() => parseGroupCallbackXml(body));
    expect(error.field).toBe(field === 'MixedMessage/MsgItem' ? 'MixedMessage' : field);
    expect(error.message).toContain(error.field as string);
    expect(error.wecomCode).toBe(-40002);
    expect(['callback_missing_field', 'callback_invalid_field']).toContain(error.code);
  });

  it('refuses an undocumented ChatType', () => {
    const error = parseErrorOf(() => parseGroupCallbackXml(XML_TEXT.replace('<ChatType>group</ChatType>', '<ChatType>channel</ChatType>')));
    expect(error.code).toBe('callback_invalid_field');
    expect(error.message).toBe('callback field ChatType must be one of single, group, blackboard, blackboard_reply');
  });

  it('refuses a mixed item of an unknown type, naming its index', () => {
    const body = XML_MIXED.replace('<MsgType>image</MsgType>', '<MsgType>video</MsgType>');
    expect(parseErrorOf(() => parseGroupCallbackXml(body)).field).toBe('MixedMessage/MsgItem[1]/MsgType');
  });
});
