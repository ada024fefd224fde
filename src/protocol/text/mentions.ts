import { MessageValidationError } from '../message/errors.js';

/**
 * Mentions in text: stripping the robot's own `@Name` from incoming messages, and the
 * `<@userid>` tag that mentions someone inside markdown content.
 */

// WeCom separates a mention from the text with an ordinary space, a full-width space (U+3000),
// a no-break space or the four-per-em space (U+2005) that WeChat clients insert after @Name.
const SPACE = '[\\s\\u00a0\\u2005\\u3000]';
const LEADING_MENTION = new RegExp(`^${SPACE}*[@＠][^\\s\\u00a0\\u2005\\u3000]*(?:${SPACE}+|$)`);

/**
 * Remove the leading `@RobotName ` WeCom puts in front of a group message, and trim.
 * Only the first mention goes: `@bot @alice hi` gives `@alice hi`.
 *
 * Pass `botName` when the robot's name contains spaces (`@My Bot hi`): then exactly
 * `@My Bot` is removed, and text that does not start with it is only trimmed.
 *
 * @example stripLeadingMention('@bot\u3000天气 北京') === '天气 北京'
 */
export function stripLeadingMention(text: string, botName?: string): string {
  if (botName !== undefined && botName !== '') {
    const trimmed = text.replace(new RegExp(`^${SPACE}+`), '');
    for (const at of ['@', '＠']) {
      const prefix = at + botName;
      if (trimmed.startsWith(prefix)) {
        const rest = trimmed.slice(prefix.length);
        if (rest === '' || new RegExp(`^${SPACE}`).test(rest)) return trimTextSpace(rest);
      }
    }
    return trimTextSpace(text);
  }
  return trimTextSpace(text.replace(LEADING_MENTION, ''));
}

function trimTextSpace(text: string): string {
  return text.replace(new RegExp(`^${SPACE}+|${SPACE}+$`, 'g'), '');
}

/**
 * The tag that mentions a member inside `markdown` content (markdown_v2 does not support it). `@all` has no documented markdown form, so it is refused: use a text
 * message with `mentioned_list: ['@all']`.
 *
 * @example markdownMessage(`${mentionTag('zhangsan')} please review`)
 */
export function mentionTag(userId: string): string {
  if (userId === '@all' || userId === 'all') {
    throw new MessageValidationError([
      {
        path: 'markdown.content',
        code: 'message_mention_unsupported',
        message: "'@all' has no markdown form; send a text message with mentioned_list ['@all']",
      },
    ]);
  }
  if (!/^[^\s<>@]+$/.test(userId)) {
    throw new MessageValidationError([
      { path: 'markdown.content', code: 'message_invalid_value', message: `${JSON.stringify(userId)} is not a userid` },
    ]);
  }
  return `<@${userId}>`;
}

/** The userids mentioned with `<@userid>` tags in content, in order, without duplicates. */
export function extractMentionTags(content: string): string[] {
  const ids: string[] = [];
  for (const match of content.matchAll(/<@([^\s<>@]+)>/g)) {
    const id = match[1] as string;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
