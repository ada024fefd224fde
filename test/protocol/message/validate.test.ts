import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fileMessage,
  imageMessage,
  markdownMessage,
  markdownV2Message,
  newsMessage,
  textMessage,
  voiceMessage,
} from '../../../src/protocol/message/builders.js';
import { messageIssues, validateMessage } from '../../../src/protocol/message/validate.js';
import { validationError } from './helpers.js';

describe('text', () => {
  it('builds a valid text message with mentions', () => {
    expect(textMessage('build #42 failed', { mentionedList: ['alice', '@all'], mentionedMobileList: ['13800000000'] })).toEqual({
      msgtype: 'text',
      text: { content: 'build #42 failed', mentioned_list: ['alice', '@all'], mentioned_mobile_list: ['13800000000'] },
    });
  });

  it('measures UTF-8 bytes, not characters', () => {
    expect(() => textMessage('中'.repeat(682) + 'ab')).not.toThrow(); // 2048 bytes
    const error = validationError(() => textMessage('中'.repeat(766) + 'ab')); // 2300 bytes
    expect(error.message).toBe('text.content is 2300 bytes; the limit is 2048 UTF-8 bytes');
    expect(error.code).toBe('message_too_long');
    expect(error.field).toBe('text.content');
    expect(error.hint).toMatch(/splitMessage/);
  });

  it('refuses empty content and non-string mentions', () => {
    expect(validationError(() => textMessage('')).code).toBe('message_missing_field');
    expect(validationError(() => validateMessage({ msgtype: 'text', text: { content: 'x', mentioned_list: ['a', 7] } })).field).toBe(
      'text.mentioned_list[1]',
    );
  });
});

describe('markdown and markdown_v2', () => {
  it('accepts 4096 bytes and refuses 4097', () => {
    expect(() => markdownMessage('😀'.repeat(1024))).not.toThrow();
    expect(validationError(() => markdownMessage('😀'.repeat(1024) + 'x')).message).toBe(
      'markdown.content is 4097 bytes; the limit is 4096 UTF-8 bytes',
    );
    expect(validationError(() => markdownV2Message('a'.repeat(4097))).message).toBe(
      'markdown_v2.content is 4097 bytes; the limit is 4096 UTF-8 bytes',
    );
  });

  it('carries beta fields and attachments', () => {
    expect(markdownMessage('x', { atShortName: true, chatId: 'wrG', visibleToUser: ['a', 'b'] })).toEqual({
      msgtype: 'markdown',
      chatid: 'wrG',
      visible_to_user: 'a|b',
      markdown: { content: 'x', at_short_name: true },
    });
  });
});

describe('image', () => {
  it('computes base64 and md5 from raw bytes', () => {
    const bytes = Buffer.from('\x89PNG fake image bytes');
    const message = imageMessage(bytes);
    expect(message.image.base64).toBe(bytes.toString('base64'));
    expect(message.image.md5).toBe(createHash('md5').update(bytes).digest('hex'));
  });

  it('refuses images over 2 MB and malformed base64/md5', () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    expect(validationError(() => imageMessage(big)).message).toBe(
      'image.base64 decodes to 2097153 bytes; the limit is 2097152 bytes (2 MB)',
    );
    expect(() => imageMessage(new Uint8Array(2 * 1024 * 1024))).not.toThrow();
    const error = validationError(() => validateMessage({ msgtype: 'image', image: { base64: 'data:image/png;base64,AAA', md5: 'xyz' } }));
    expect(error.issues.map((i) => i.path)).toEqual(['image.base64', 'image.md5']);
  });
});

describe('news', () => {
  const article = { title: '标题', description: '描述', url: 'https://example.com', picurl: 'https://example.com/p.png' };

  it('accepts 1 to 8 articles', () => {
    expect(newsMessage([article]).news.articles).toHaveLength(1);
    expect(() => newsMessage(Array(8).fill(article))).not.toThrow();
  });

  it('refuses 0 or 9 articles', () => {
    expect(validationError(() => newsMessage([])).message).toBe('news.articles has 0 items; at least 1 required');
    expect(validationError(() => newsMessage(Array(9).fill(article))).message).toBe('news.articles has 9 items; the limit is 8');
  });

  it('checks title, description and url of each article by path', () => {
    const error = validationError(() => newsMessage([article, { title: '标'.repeat(43), description: 'd'.repeat(513), url: '' }]));
    expect(error.issues.map((i) => i.message)).toEqual([
      'news.articles[1].title is 129 bytes; the limit is 128 UTF-8 bytes',
      'news.articles[1].description is 513 bytes; the limit is 512 UTF-8 bytes',
      'news.articles[1].url is required and must not be empty',
    ]);
  });

  it('points out the pic_url misspelling', () => {
    const error = validationError(() =>
      validateMessage({ msgtype: 'news', news: { articles: [{ ...article, picurl: undefined, pic_url: 'x' }] } }),
    );
    expect(error.message).toBe('news.articles[0].pic_url is not a WeCom field; it is spelled picurl');
  });
});

describe('file and voice', () => {
  it('need a media_id', () => {
    expect(fileMessage('MEDIA1')).toEqual({ msgtype: 'file', file: { media_id: 'MEDIA1' } });
    expect(voiceMessage('MEDIA2')).toEqual({ msgtype: 'voice', voice: { media_id: 'MEDIA2' } });
    expect(validationError(() => fileMessage('')).field).toBe('file.media_id');
    expect(validationError(() => validateMessage({ msgtype: 'voice', voice: {} })).message).toBe(
      'voice.media_id is required and must not be empty',
    );
  });
});

describe('envelope and beta fields', () => {
  it('refuses unknown or missing msgtype and a missing body', () => {
    expect(validationError(() => validateMessage({ msgtype: 'video' })).message).toBe(
      'msgtype is "video"; it must be one of text, markdown, markdown_v2, image, news, file, voice, template_card',
    );
    expect(validationError(() => validateMessage({})).code).toBe('message_missing_field');
    expect(validationError(() => validateMessage({ msgtype: 'text' })).message).toBe('text is required');
    expect(validationError(() => validateMessage('text')).message).toBe('message must be an object');
  });

  it('checks chatid count and the single-chat rules of visible_to_user and post_id', () => {
    const ids = Array.from({ length: 101 }, (_, i) => `wr${i}`);
    expect(validationError(() => textMessage('x', { chatId: ids })).message).toBe('chatid names 101 chats; the limit is 100');
    expect(validationError(() => textMessage('x', { chatId: ['a', 'b'], visibleToUser: 'u' })).field).toBe('visible_to_user');
    expect(validationError(() => textMessage('x', { postId: 'p' })).field).toBe('post_id');
    expect(textMessage('x', { chatId: 'wrBB', postId: 'p', visibleToUser: 'u' })).toMatchObject({
      chatid: 'wrBB',
      post_id: 'p',
      visible_to_user: 'u',
    });
  });

  it('messageIssues lists problems without throwing', () => {
    expect(messageIssues({ msgtype: 'text', text: { content: '' } })).toEqual([
      { path: 'text.content', code: 'message_missing_field', message: 'text.content is required and must not be empty' },
    ]);
    expect(messageIssues(textMessage('ok'))).toEqual([]);
  });
});
