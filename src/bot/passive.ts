/**
 * Passive reply plaintexts (before encryption): the classic robot's XML or JSON text/markdown
 * reply (protocol §2.6) and the AI bot's stream reply (§2.10).
 */
import type { MarkdownAttachment, WebhookMessage } from '../protocol/message/types.js';
import type { CallbackFormat } from '../protocol/callback/types.js';
import { LIMITS } from '../protocol/limits.js';
import { utf8ByteLength } from '../protocol/text/utf8.js';

/**
 * Passive replies of the classic robot: only text and markdown exist, within the webhook's
 * byte limits. Anything longer goes through the webhook client, which splits it into parts.
 */
export function isGroupPassive(message: WebhookMessage): boolean {
  if (message.msgtype === 'text') return utf8ByteLength(message.text.content) <= LIMITS.textContentBytes;
  if (message.msgtype === 'markdown') return utf8ByteLength(message.markdown.content) <= LIMITS.markdownContentBytes;
  return false;
}

function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function items(name: string, values: readonly string[] | undefined): string {
  if (!values?.length) return '';
  return `<${name}>${values.map((v) => `<Item>${cdata(v)}</Item>`).join('')}</${name}>`;
}

function xmlAttachments(attachments: readonly MarkdownAttachment[] | undefined): string {
  if (!attachments?.length) return '';
  return attachments
    .map((a) => {
      const actions = a.actions
        .map((x) => {
          let s = `<Name>${cdata(x.name)}</Name><Value>${cdata(x.value)}</Value><Text>${cdata(x.text)}</Text><Type>${cdata(x.type)}</Type>`;
          if (x.border_color) s += `<BorderColor>${cdata(x.border_color)}</BorderColor>`;
          if (x.text_color) s += `<TextColor>${cdata(x.text_color)}</TextColor>`;
          if (x.replace_text) s += `<ReplaceText>${cdata(x.replace_text)}</ReplaceText>`;
          return `<Actions>${s}</Actions>`;
        })
        .join('');
      return `<Attachment><CallbackId>${cdata(a.callback_id)}</CallbackId>${actions}</Attachment>`;
    })
    .join('');
}

/** Renders a text or markdown message as the classic robot's passive reply plaintext. */
export function renderGroupPassive(message: WebhookMessage, format: CallbackFormat): string {
  if (message.msgtype !== 'text' && message.msgtype !== 'markdown') {
    throw new TypeError(`a passive reply is text or markdown, not ${message.msgtype}`);
  }
  if (format === 'json') {
    // The JSON passive reply is the webhook wire message without chat targeting.
    const { chatid: _c, post_id: _p, ...rest } = message;
    return JSON.stringify(rest);
  }
  const visible = message.visible_to_user ? `<VisibleToUser>${cdata(message.visible_to_user)}</VisibleToUser>` : '';
  if (message.msgtype === 'text') {
    const t = message.text;
    return (
      `<xml><MsgType>text</MsgType>${visible}<Text><Content>${cdata(t.content)}</Content>` +
      `${items('MentionedList', t.mentioned_list)}${items('MentionedMobileList', t.mentioned_mobile_list)}</Text></xml>`
    );
  }
  const m = message.markdown;
  return `<xml><MsgType>markdown</MsgType>${visible}<Markdown><Content>${cdata(m.content)}</Content>${xmlAttachments(m.attachments)}</Markdown></xml>`;
}

/** The AI bot's stream reply plaintext. `content` is the full text so far. */
export function renderStreamReply(id: string, content: string, finish: boolean): string {
  return JSON.stringify({ msgtype: 'stream', stream: { id, finish, content } });
}
