/**
 * What the FAQ sends: an answer (split or trimmed within WeCom's byte limits), suggestions as
 * buttons (classic robot: markdown buttons; AI bot: a button_interaction card), and the
 * handoff texts.
 */
import type { ReplyContent } from '../../bot/reply-content.js';
import { LIMITS } from '../../protocol/limits.js';
import { splitMessage } from '../../protocol/text/split.js';
import { utf8ByteLength } from '../../protocol/text/utf8.js';
import { escapeMarkdownText } from '../../search/render-markdown.js';
import type { FaqEntry } from './entry.js';

/** Room kept in every part for mention tags (`<@userid>`) the reply options add. */
const MENTION_ROOM = 160;
/** A button label's limit, in UTF-8 bytes (both robots). */
const LABEL_BYTES = 128;

export const TRIMMED_NOTE = '……（内容较长，已截断，可发送「转人工」咨询详情）';

/** Cuts text to at most `maxBytes` UTF-8 bytes, on a character, with `…` when cut. */
export function fitBytes(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  let out = '';
  for (const ch of text) {
    if (utf8ByteLength(out + ch + '…') > maxBytes) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * The answer as markdown parts: the question in bold, then the answer; split at paragraphs when
 * over the limit, at most `maxParts` parts, the last one ending with a note when trimmed.
 *
 * @example answerParts(entry, 2) // ['**怎么退款？**\n在订单页…']
 */
export function answerParts(entry: FaqEntry, maxParts: number): string[] {
  const limit = LIMITS.markdownContentBytes - MENTION_ROOM;
  const full = `**${escapeMarkdownText(entry.question)}**\n${entry.answer}`;
  const parts = splitMessage(full, limit, { kind: 'markdown' });
  if (parts.length <= maxParts) return parts;
  const kept = parts.slice(0, maxParts);
  const room = limit - utf8ByteLength(`\n${TRIMMED_NOTE}`);
  kept[maxParts - 1] = `${splitMessage(kept[maxParts - 1]!, room, { kind: 'markdown' })[0]!}\n${TRIMMED_NOTE}`;
  return kept;
}

/**
 * The suggestions: the closest questions, each a button whose id answers it. `list` is the
 * form without buttons (markdown with the questions to send again): an AI bot's answer in a
 * group once the passive reply is gone, since a response_url takes a card only in a single chat.
 */
export function suggestionsReply(
  entries: readonly FaqEntry[],
  robot: 'group' | 'aibot' | 'list',
  buttonOf: (entryId: number) => string,
  taskId: string,
): ReplyContent {
  const intro = '没有找到完全对应的答案，你可能想问：';
  if (robot === 'list') {
    const lines = entries.map((e, i) => `${i + 1}. ${escapeMarkdownText(e.question)}`);
    return { markdown: ['没有找到完全对应的答案，你可能想问（发送其中的问题即可查看答案）：', ...lines].join('\n') };
  }
  if (robot === 'aibot') {
    return {
      card: {
        card_type: 'button_interaction',
        main_title: { title: '你可能想问', desc: '点击问题查看答案' },
        button_list: entries.map((e) => ({ text: fitBytes(e.question, LABEL_BYTES), key: buttonOf(e.id), style: 4 as const })),
        task_id: taskId,
      },
    };
  }
  const lines = entries.map((e, i) => `${i + 1}. ${escapeMarkdownText(e.question)}`);
  return {
    markdown: [intro, ...lines].join('\n'),
    buttons: entries.map((e) => ({ id: buttonOf(e.id), text: fitBytes(e.question, LABEL_BYTES) })),
  };
}

/** Said in a single chat when nothing matched (groups stay silent). */
export const NO_MATCH_TEXT = '抱歉，我还不会回答这个问题。换个说法试试，或发送「转人工」联系人工客服。';

/** The handoff when someone is on duty (the staff member is mentioned by the reply options). */
export function handoffText(staffName: string | undefined, quietMinutes: number): string {
  return `已为你转接人工客服${staffName ? ` ${staffName}` : ''}，请稍候。接下来 ${quietMinutes} 分钟内我先不插话，发送 /resume 可随时恢复自动回复。`;
}

/** The handoff when nobody is on duty. */
export const OFF_DUTY_TEXT = '现在不是人工客服的工作时间，你的问题已记录，我们会尽快联系你。';

export const RESUMED_TEXT = '已恢复自动回复，有问题请直接问我。';
export const STAFF_ENDED_TEXT = '已结束本群的人工接待，机器人恢复自动回复。';
