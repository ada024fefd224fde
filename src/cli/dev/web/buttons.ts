/**
 * The clickable buttons of a message body, in one order the page and the server share: the
 * page draws button n, the server clicks button n. Classic robot markdown attachments answer
 * with an `attachment` callback; AI bot card buttons with a `template_card_event`. No Node
 * imports: the browser bundle uses this file too.
 */
import type { Robot, WebButton, WebMessage } from './model.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The body as `userId` sees it: a card updated for them alone replaces the shared one. */
export function bodyFor(message: WebMessage, userId: string): Json {
  const own = message.cardFor?.[userId];
  return own ? { ...message.body, template_card: own } : message.body;
}

/** The template card a body carries (a card message, a stream with a card, a card update). */
export function cardOf(body: Json): Json | undefined {
  return body.template_card !== undefined ? obj(body.template_card) : undefined;
}

/** The buttons of `body`, sent by `robot`. A classic robot's card buttons have no callback here. */
export function buttonsOf(body: Json, robot: Robot | undefined): WebButton[] {
  const buttons: WebButton[] = [];
  for (const a of arr(obj(body.markdown).attachments).map(obj)) {
    for (const action of arr(a.actions).map(obj)) {
      buttons.push({
        robot: 'group',
        label: str(action.text) || str(action.name),
        callbackId: str(a.callback_id),
        name: str(action.name),
        value: str(action.value),
      });
    }
  }
  const card = cardOf(body);
  if (card && robot === 'aibot') {
    const taskId = str(card.task_id);
    const cardType = str(card.card_type);
    const button = (b: Json): WebButton => ({
      robot: 'aibot',
      label: str(b.text) || str(b.key),
      taskId,
      key: str(b.key),
      cardType,
      ...(typeof b.style === 'number' ? { style: b.style } : {}),
    });
    for (const b of arr(card.button_list).map(obj)) buttons.push(button(b));
    if (card.submit_button !== undefined) buttons.push(button(obj(card.submit_button)));
  }
  return buttons;
}

/** One line per message for transcripts and tests: its text, or `[kind] title` for the rest. */
export function summaryOf(body: Json): string {
  const card = cardOf(body);
  const cardLine = card ? `[${str(card.card_type) || 'card'}] ${str(obj(card.main_title).title)}`.trim() : '';
  if (body.response_type === 'update_template_card') return `[card update] ${cardLine}`;
  const kind = str(body.msgtype);
  const part = obj(body[kind]);
  switch (kind) {
    case 'text':
    case 'markdown':
    case 'markdown_v2':
      return str(part.content);
    case 'stream':
      return str(part.content);
    case 'stream_with_template_card':
      return [str(obj(body.stream).content), cardLine].filter(Boolean).join('\n');
    case 'template_card':
      return cardLine;
    case 'news':
      return `[news] ${arr(part.articles)
        .map((a) => str(obj(a).title))
        .join(' | ')}`;
    default:
      return `[${kind || 'message'}]`;
  }
}
