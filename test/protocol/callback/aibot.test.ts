import { describe, expect, it } from 'vitest';
import { parseAibotCallback, readAibotCallback } from '../../../src/protocol/callback/aibot.js';
import { quoteBigIntegers } from '../../../src/protocol/callback/json-body.js';
import {
  AI_CARD_EVENT,
  AI_ENTER_CHAT,
  AI_FEEDBACK,
  AI_FILE,
  AI_IMAGE,
  AI_MIXED,
  AI_STREAM,
  AI_TEXT,
  AI_VOICE,
  aibot,
} from '../fixtures/aibot-callbacks.js';
import { parseErrorOf } from './errors.js';

describe('parseAibotCallback', () => {
  it('parses a group text message with a quote', () => {
    expect(parseAibotCallback(AI_TEXT)).toEqual({
      robot: 'aibot',
      format: 'json',
      type: 'text',
      msgId: 'CAIQ-test-1',
      aibotId: 'AIBOT1',
      chatId: 'CHAT1',
      chatType: 'group',
      from: { userId: 'zhaoliu' },
      responseUrl: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1',
      text: '@RobotA 今天天气怎么样',
      quote: { type: 'text', text: '这是今日的测试情况' },
    });
  });

  it('parses image (trimming the URL), voice and file in single chats', () => {
    const image = parseAibotCallback(AI_IMAGE);
    expect(image).toMatchObject({ type: 'image', chatType: 'single', imageUrl: 'https://cos.example/img?sign=abc' });
    expect('chatId' in image).toBe(false);
    expect(parseAibotCallback(AI_VOICE)).toMatchObject({ type: 'voice', text: '这是语音转成文本的内容' });
    expect(parseAibotCallback(AI_FILE)).toMatchObject({ type: 'file', fileUrl: 'https://cos.example/file.pdf' });
  });

  it('parses mixed with an image quote', () => {
    expect(parseAibotCallback(AI_MIXED)).toMatchObject({
      type: 'mixed',
      items: [
        { type: 'text', text: '@机器人 看图' },
        { type: 'image', imageUrl: 'https://cos.example/m1' },
      ],
      quote: { type: 'image', imageUrl: 'https://cos.example/q' },
    });
  });

  it('types every quote kind, unknown ones included', () => {
    const quotes: [Record<string, unknown>, unknown][] = [
      [
        { msgtype: 'voice', voice: { content: 'v' } },
        { type: 'voice', text: 'v' },
      ],
      [
        { msgtype: 'file', file: { url: 'f' } },
        { type: 'file', fileUrl: 'f' },
      ],
      [
        { msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: 't' } }] } },
        { type: 'mixed', items: [{ type: 'text', text: 't' }] },
      ],
      [
        { msgtype: 'video', video: {} },
        { type: 'unknown', rawType: 'video' },
      ],
    ];
    for (const [quote, expected] of quotes) {
      expect(parseAibotCallback(aibot({ msgtype: 'text', text: { content: 'x' }, quote }))).toMatchObject({ quote: expected });
    }
  });

  it('reads an already-parsed body (a long-connection frame) exactly as it parses the text', () => {
    for (const text of [AI_TEXT, AI_IMAGE, AI_MIXED, AI_VOICE, AI_FILE, AI_STREAM, AI_ENTER_CHAT, AI_CARD_EVENT, AI_FEEDBACK]) {
      expect(readAibotCallback(JSON.parse(quoteBigIntegers(text)) as Record<string, unknown>)).toEqual(parseAibotCallback(text));
    }
    expect(parseErrorOf(() => readAibotCallback({ msgtype: 'text' })).code).toBe(
      parseErrorOf(() => parseAibotCallback('{"msgtype":"text"}')).code,
    );
  });

  it('parses a stream refresh', () => {
    expect(parseAibotCallback(AI_STREAM)).toMatchObject({ type: 'stream', streamId: 'STREAM-7', chatType: 'group' });
  });

  it('parses enter_chat without chattype or response_url (as WeCom sends it)', () => {
    expect(parseAibotCallback(AI_ENTER_CHAT)).toEqual({
      robot: 'aibot',
      format: 'json',
      type: 'event',
      eventType: 'enter_chat',
      msgId: 'CAIQ-enter',
      aibotId: 'AIBOT1',
      chatType: 'single',
      from: { userId: 'zhaoliu', corpId: 'wpCORP' },
      createTime: 1700000000,
    });
  });

  it('parses a template_card_event with its selections', () => {
    expect(parseAibotCallback(AI_CARD_EVENT)).toMatchObject({
      type: 'event',
      eventType: 'template_card_event',
      cardType: 'vote_interaction',
      eventKey: 'submit_key',
      taskId: 'task_1',
      selectedItems: [{ questionKey: 'q1', optionIds: ['one', 'two'] }],
      responseUrl: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC1',
    });
    const noSelection = aibot({
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { card_type: 'text_notice', event_key: 'k', task_id: 't' } },
    });
    expect(parseAibotCallback(noSelection)).toMatchObject({ selectedItems: [] });
  });

  it('parses a feedback_event', () => {
    expect(parseAibotCallback(AI_FEEDBACK)).toMatchObject({
      type: 'event',
      eventType: 'feedback_event',
      feedbackId: 'FB1',
      feedbackType: 2,
      content: '能再详细一些么',
      inaccurateReasons: [2, 4],
    });
  });

  it('refuses a feedback type outside 1..3', () => {
    const body = aibot({ msgtype: 'event', event: { eventtype: 'feedback_event', feedback_event: { id: 'x', type: 7 } } });
    const error = parseErrorOf(() => parseAibotCallback(body));
    expect(error.code).toBe('callback_invalid_field');
    expect(error.field).toBe('event.feedback_event.type');
  });

  it('returns unknown for unknown message and event types', () => {
    expect(parseAibotCallback(aibot({ msgtype: 'video', video: {} }))).toMatchObject({
      type: 'unknown',
      rawType: 'video',
      msgId: 'CAIQ-test-1',
    });
    expect(parseAibotCallback(aibot({ msgtype: 'event', event: { eventtype: 'kicked' } }))).toMatchObject({
      type: 'unknown',
      rawType: 'event',
      rawEventType: 'kicked',
    });
  });

  it.each([
    ['msgid', aibot({ msgtype: 'text', text: { content: 'x' }, msgid: undefined })],
    ['aibotid', aibot({ msgtype: 'text', text: { content: 'x' }, aibotid: '' })],
    ['from', aibot({ msgtype: 'text', text: { content: 'x' }, from: undefined })],
    ['from.userid', aibot({ msgtype: 'text', text: { content: 'x' }, from: { corpid: 'c' } })],
    ['text.content', aibot({ msgtype: 'text', text: {} })],
    ['image.url', aibot({ msgtype: 'image', image: {} })],
    ['voice', aibot({ msgtype: 'voice' })],
    ['file.url', aibot({ msgtype: 'file', file: { name: 'x' } })],
    ['stream.id', aibot({ msgtype: 'stream', stream: {} })],
    ['event.template_card_event', aibot({ msgtype: 'event', event: { eventtype: 'template_card_event' } })],
    ['event.feedback_event.id', aibot({ msgtype: 'event', event: { eventtype: 'feedback_event', feedback_event: { type: 1 } } })],
    ['mixed.msg_item[0].text', aibot({ msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text' }] } })],
  ])('names the missing field %s', (field, body) => {
    const error = parseErrorOf(() => parseAibotCallback(body));
    expect(error.code).toBe('callback_missing_field');
    expect(error.field).toBe(field);
  });

  it('refuses an undocumented chattype', () => {
    expect(parseErrorOf(() => parseAibotCallback(aibot({ msgtype: 'text', text: { content: 'x' }, chattype: 'channel' }))).field).toBe(
      'chattype',
    );
  });
});
