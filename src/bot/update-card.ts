/**
 * `ctx.updateCard`: replacing the card a user clicked, where the platform allows it. Only an
 * AI bot's `template_card_event` can be answered with `update_template_card`, and only as the
 * passive answer to that very callback, within its 5-second window (doc 101031, 101027): WeCom
 * sends the event once and drops it when no answer comes. Everything else is a ReplyError
 * that says what to do instead.
 */
import type { RoutedMessage } from './filters.js';
import { MessageValidationError } from '../protocol/message/errors.js';
import type { AibotTemplateCard } from '../protocol/reply/aibot-card.js';
import { aibotUpdateCardReply, type AibotUpdateCardReply } from '../protocol/reply/aibot-reply.js';
import { ReplyError } from './errors.js';
import type { DecisionReason } from './reply-envelope.js';

/** A card for `ctx.updateCard`, of any AI bot type; `task_id` may be left out (the click's is used). */
export type UpdatedCard = AibotTemplateCard extends infer T
  ? T extends unknown
    ? Omit<T, 'task_id'> & { task_id?: string }
    : never
  : never;

/** Options of `ctx.updateCard`. */
export interface UpdateCardOptions {
  /** Replace the card for these users only (e.g. the clicker); absent = for everyone who sees it. */
  userIds?: readonly string[];
}

/**
 * The `update_template_card` answer to the click in `message`. The card's `task_id` is filled
 * in from the click; another task id is refused, since WeCom replaces only the clicked card.
 *
 * @throws ReplyError (`reply_unsupported`) on a classic robot or a callback that is not a card
 *   click; MessageValidationError for a mismatched task id or a card over a documented limit.
 */
export function cardUpdateFor(message: RoutedMessage, card: UpdatedCard, options: UpdateCardOptions = {}): AibotUpdateCardReply {
  if (message.robot === 'group') {
    throw new ReplyError('reply_unsupported', 'a classic group robot cannot update a message after a button click', {
      hint: "set replaceText on the button when sending it ({ markdown, buttons: [{ id, text, replaceText: '已报名' }] }): WeCom shows that label after the click; or answer with ctx.reply",
    });
  }
  if (message.type !== 'event' || message.eventType !== 'template_card_event') {
    const what = message.type === 'event' ? `the ${message.eventType} event` : `a message (${message.type})`;
    throw new ReplyError(
      'reply_unsupported',
      `ctx.updateCard answers a template card click (template_card_event); this callback is ${what}`,
      {
        hint: 'send a new card with ctx.reply({ card })',
      },
    );
  }
  const taskId = card.task_id;
  if (taskId !== undefined && taskId !== message.taskId) {
    throw new MessageValidationError([
      {
        path: 'template_card.task_id',
        code: 'message_invalid_value',
        message: `template_card.task_id is ${JSON.stringify(taskId)}; an update must keep the clicked card's task_id ${JSON.stringify(message.taskId)}`,
      },
    ]);
  }
  return aibotUpdateCardReply({ ...card, task_id: message.taskId } as AibotTemplateCard, options);
}

/**
 * Why an update came too late: the HTTP answer to the click was already sent, either because
 * the ack budget elapsed (or the handler had returned), or because the card was already updated.
 */
export function cardUpdateTooLate(reason: DecisionReason | undefined, budgetMs: number): ReplyError {
  if (reason === 'reply') {
    return new ReplyError('reply_no_channel', 'the clicked card was already updated: WeCom takes one answer per click', {
      hint: 'call ctx.updateCard once, with the final card',
    });
  }
  const when =
    reason === 'done'
      ? 'the handler had already returned, so the click was answered'
      : `the window of the click has passed (ack budget ${budgetMs} ms; WeCom waits 5 s)`;
  return new ReplyError('reply_no_channel', `too late to update the card: ${when}`, {
    hint: 'a card can only be updated in the direct answer to the click; reply with a new message instead: ctx.reply(...) goes through the response_url',
  });
}
