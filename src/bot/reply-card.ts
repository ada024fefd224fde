/**
 * Which template cards each robot kind may send, and their validation before anything leaves
 * the process: the classic robot's webhook has text_notice and news_notice only (protocol
 * §1.8); an AI bot also has the interactive button_interaction, vote_interaction and
 * multiple_interaction (doc 101032), whose clicks come back as template_card_event.
 */
import { validateTemplateCard } from '../protocol/message/validate-template-card.js';
import type { TemplateCard } from '../protocol/message/template-card-types.js';
import { isInteractiveCardType, validateAibotCard, type AibotTemplateCard } from '../protocol/reply/aibot-card.js';
import { ReplyError } from './errors.js';

/** Every card `ctx.reply({ card })` accepts; which ones a robot may send is checked on reply. */
export type ReplyCard = TemplateCard | AibotTemplateCard;

/**
 * Checks that `robot` can send `card` and that the card keeps every documented limit.
 *
 * @example checkReplyCard({ card_type: 'vote_interaction', … }, 'group') // throws ReplyError reply_unsupported
 * @throws ReplyError for an interactive card on a classic robot; MessageValidationError naming
 *   the field and its limit otherwise (`template_card.button_list has 7 items; the limit is 6`).
 */
export function checkReplyCard(card: ReplyCard, robot: 'group'): asserts card is TemplateCard;
export function checkReplyCard(card: ReplyCard, robot: 'group' | 'aibot'): void;
export function checkReplyCard(card: ReplyCard, robot: 'group' | 'aibot'): void {
  if (robot === 'aibot') {
    validateAibotCard(card);
    return;
  }
  const type = (card as { card_type?: unknown } | undefined)?.card_type;
  if (isInteractiveCardType(type)) {
    throw new ReplyError(
      'reply_unsupported',
      `a classic group robot cannot send a ${type} card (its webhook has text_notice and news_notice only)`,
      {
        hint: 'interactive cards exist only on AI bots (智能机器人); on a classic robot send markdown with buttons: ctx.reply({ markdown, buttons: [{ id, text }] })',
      },
    );
  }
  validateTemplateCard(card);
}
