import { describe, expect, it } from 'vitest';
import { MessageValidationError } from '../../../src/protocol/message/errors.js';
import { extractMentionTags, mentionTag, stripLeadingMention } from '../../../src/protocol/text/mentions.js';

describe('stripLeadingMention', () => {
  it.each([
    ['@bot ping', 'ping'],
    ['@bot\u3000天气 北京', '天气 北京'],
    ['@bot\u2005help', 'help'],
    ['  @bot  hi  ', 'hi'],
    ['＠机器人 查询', '查询'],
    ['@bot @alice hi', '@alice hi'],
    ['@bot', ''],
    ['no mention', 'no mention'],
    ['email a@b.c', 'email a@b.c'],
  ])('%j → %j', (input, expected) => {
    expect(stripLeadingMention(input)).toBe(expected);
  });

  it('removes exactly the given bot name, spaces included', () => {
    expect(stripLeadingMention('@My Bot status', 'My Bot')).toBe('status');
    expect(stripLeadingMention('@My Botanist status', 'My Bot')).toBe('@My Botanist status');
    expect(stripLeadingMention('@alice hi', 'My Bot')).toBe('@alice hi');
  });
});

describe('mentionTag and extractMentionTags', () => {
  it('builds <@userid>', () => {
    expect(mentionTag('zhangsan')).toBe('<@zhangsan>');
  });

  it('refuses @all and malformed ids', () => {
    expect(() => mentionTag('@all')).toThrow(MessageValidationError);
    expect(() => mentionTag('a b')).toThrow(/is not a userid/);
    expect(() => mentionTag('')).toThrow(MessageValidationError);
  });

  it('extracts tags in order without duplicates', () => {
    expect(extractMentionTags('hi <@a> and <@b>, again <@a>; not <@ c>')).toEqual(['a', 'b']);
  });
});
