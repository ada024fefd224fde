/**
 * Passive replies of the classic group robot: the plaintext returned (encrypted) in the HTTP
 * response to a callback. Only text (with mentions) and markdown (with buttons) exist.
 */
import { LIMITS } from '../limits.js';
import { Checker } from '../message/checker.js';
import type { MarkdownAttachment } from '../message/types.js';
import { checkAttachments } from '../message/validate.js';
import { element } from './xml-writer.js';

/** A passive text reply (JSON shape; XML is rendered from it). */
export interface TextReply {
  msgtype: 'text';
  /** `|`-joined userids: only they see the reply. */
  visible_to_user?: string;
  text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] };
}

/** A passive markdown reply, optionally with button attachments. */
export interface MarkdownReply {
  msgtype: 'markdown';
  visible_to_user?: string;
  markdown: { content: string; attachments?: MarkdownAttachment[] };
}

/** Every passive reply of a classic group robot. */
export type GroupReply = TextReply | MarkdownReply;

/** Options shared by the reply builders. */
export interface GroupReplyOptions {
  /** Only these group members see the reply (joined with `|`). */
  visibleToUser?: string | readonly string[];
}

function visible(options: GroupReplyOptions): { visible_to_user?: string } {
  const v = options.visibleToUser;
  if (v === undefined || v.length === 0) return {};
  return { visible_to_user: typeof v === 'string' ? v : v.join('|') };
}

/**
 * A passive text reply. `'@all'` is allowed in both mention lists.
 * @example renderGroupReply(textReply('pong', { mentionedList: [cb.from.userId] }), 'xml')
 */
export function textReply(
  content: string,
  options: GroupReplyOptions & { mentionedList?: readonly string[]; mentionedMobileList?: readonly string[] } = {},
): TextReply {
  const reply: TextReply = {
    msgtype: 'text',
    ...visible(options),
    text: {
      content,
      ...(options.mentionedList?.length && { mentioned_list: [...options.mentionedList] }),
      ...(options.mentionedMobileList?.length && { mentioned_mobile_list: [...options.mentionedMobileList] }),
    },
  };
  validateGroupReply(reply);
  return reply;
}

/**
 * A passive markdown reply with optional buttons (a click calls back with `attachment`).
 * @example markdownReply('Approve?', { attachments: [{ callback_id: 'req-7', actions: [markdownButton('ok', 'yes', 'Approve')] }] })
 */
export function markdownReply(content: string, options: GroupReplyOptions & { attachments?: MarkdownAttachment[] } = {}): MarkdownReply {
  const reply: MarkdownReply = {
    msgtype: 'markdown',
    ...visible(options),
    markdown: { content, ...(options.attachments?.length && { attachments: options.attachments }) },
  };
  validateGroupReply(reply);
  return reply;
}

/**
 * Validate a passive reply: content limits (text 2048, markdown 4096 bytes), ≤ 20 actions,
 * action name ≤ 64, value/text/replace_text ≤ 128 bytes, `type: 'button'`, hex colours.
 * @throws MessageValidationError
 */
export function validateGroupReply(reply: unknown): asserts reply is GroupReply {
  const c = new Checker();
  const r = c.obj(reply, 'reply');
  if (r) {
    const type = c.oneOf(r.msgtype, 'msgtype', ['text', 'markdown'] as const, true);
    c.str(r.visible_to_user, 'visible_to_user', { required: false });
    const body = type ? c.obj(r[type], type) : undefined;
    if (type === 'text' && body) {
      c.str(body.content, 'text.content', { maxBytes: LIMITS.textContentBytes });
      for (const key of ['mentioned_list', 'mentioned_mobile_list']) {
        c.list(body[key], `text.${key}`)?.forEach((item, i) => c.str(item, `text.${key}[${i}]`));
      }
    } else if (type === 'markdown' && body) {
      c.str(body.content, 'markdown.content', { maxBytes: LIMITS.markdownContentBytes });
      checkAttachments(c, body.attachments, 'markdown.attachments');
    }
  }
  c.done();
}

/** Render a passive reply as JSON plaintext (`robot_callback_format=json`). */
export function renderGroupReplyJson(reply: GroupReply): string {
  validateGroupReply(reply);
  return JSON.stringify(reply);
}

/**
 * Render a passive reply as XML plaintext. Every text value is CDATA (safe against `]]>`).
 *
 * @example
 * renderGroupReplyXml(textReply('hi', { mentionedList: ['u1'] }))
 * // <xml><MsgType>text</MsgType><Text><Content><![CDATA[hi]]></Content><MentionedList><Item><![CDATA[u1]]></Item></MentionedList></Text></xml>
 */
export function renderGroupReplyXml(reply: GroupReply): string {
  validateGroupReply(reply);
  const visibleTo = reply.visible_to_user !== undefined ? element('VisibleToUser', reply.visible_to_user) : '';
  if (reply.msgtype === 'text') {
    const t = reply.text;
    return (
      `<xml><MsgType>text</MsgType>${visibleTo}<Text>${element('Content', t.content)}` +
      items('MentionedList', t.mentioned_list) +
      items('MentionedMobileList', t.mentioned_mobile_list) +
      '</Text></xml>'
    );
  }
  const attachments = (reply.markdown.attachments ?? [])
    .map((a) => {
      const actions = a.actions
        .map(
          (action) =>
            '<Actions>' +
            element('Name', action.name) +
            element('Value', action.value) +
            element('Text', action.text) +
            element('Type', action.type) +
            (action.border_color !== undefined ? element('BorderColor', action.border_color) : '') +
            (action.text_color !== undefined ? element('TextColor', action.text_color) : '') +
            (action.replace_text !== undefined ? element('ReplaceText', action.replace_text) : '') +
            '</Actions>',
        )
        .join('');
      return `<Attachment>${element('CallbackId', a.callback_id)}${actions}</Attachment>`;
    })
    .join('');
  return `<xml><MsgType>markdown</MsgType>${visibleTo}<Markdown>${element('Content', reply.markdown.content)}${attachments}</Markdown></xml>`;
}

/** Render a passive reply in the robot's callback format. */
export function renderGroupReply(reply: GroupReply, format: 'xml' | 'json'): string {
  return format === 'json' ? renderGroupReplyJson(reply) : renderGroupReplyXml(reply);
}

function items(name: string, list: readonly string[] | undefined): string {
  if (!list || list.length === 0) return '';
  return `<${name}>${list.map((item) => element('Item', item)).join('')}</${name}>`;
}
