import { describe, expect, it } from 'vitest';
import { fileMessage, markdownMessage, markdownV2Message, textMessage } from '../../../src/protocol/message/builders.js';
import { withMentions } from '../../../src/protocol/message/mentions.js';
import { validationError } from './helpers.js';

describe('withMentions', () => {
  it('merges userids and mobiles into a text message, de-duplicated', () => {
    const message = withMentions(textMessage('上线了', { mentionedList: ['alice'] }), {
      userIds: ['alice', 'bob', '@all'],
      mobiles: ['13800000000'],
    });
    expect(message).toEqual({
      msgtype: 'text',
      text: { content: '上线了', mentioned_list: ['alice', 'bob', '@all'], mentioned_mobile_list: ['13800000000'] },
    });
  });

  it('appends <@userid> tags to markdown content', () => {
    expect(withMentions(markdownMessage('**部署完成**'), { userIds: ['alice', 'bob'] })).toEqual({
      msgtype: 'markdown',
      markdown: { content: '**部署完成**\n<@alice> <@bob>' },
    });
    expect(withMentions(markdownMessage('done\n'), { userIds: ['a'] })).toMatchObject({ markdown: { content: 'done\n<@a>' } });
  });

  it('refuses mobiles and @all in markdown', () => {
    expect(validationError(() => withMentions(markdownMessage('x'), { mobiles: ['138'] })).code).toBe('message_mention_unsupported');
    expect(validationError(() => withMentions(markdownMessage('x'), { userIds: ['@all'] })).code).toBe('message_mention_unsupported');
  });

  it('markdown_v2: an error by default, plain @names on request', () => {
    const error = validationError(() => withMentions(markdownV2Message('| a |\n|---|\n| 1 |'), { userIds: ['alice'] }));
    expect(error.code).toBe('message_mention_unsupported');
    expect(error.message).toMatch(/markdown_v2 does not support mentions/);
    expect(withMentions(markdownV2Message('report'), { userIds: ['alice'] }, { markdownV2: 'plain' })).toEqual({
      msgtype: 'markdown_v2',
      markdown_v2: { content: 'report\n\n@alice' },
    });
  });

  it('refuses other types, and counts tags against the byte limit', () => {
    expect(validationError(() => withMentions(fileMessage('m'), { userIds: ['a'] })).field).toBe('msgtype');
    expect(validationError(() => withMentions(markdownMessage('x'.repeat(4090)), { userIds: ['alice'] })).code).toBe('message_too_long');
  });

  it('returns the message unchanged without mentions', () => {
    const message = textMessage('x');
    expect(withMentions(message, {})).toBe(message);
  });
});
