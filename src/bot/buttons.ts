/**
 * Markdown buttons of the classic group robot from short descriptions. `ctx.reply({ markdown,
 * buttons })` turns them into the markdown `attachments` of protocol §2.6, where each button's
 * id becomes the action `name` that the click echoes back (see action.ts for why the name).
 */
import { Checker } from '../protocol/message/checker.js';
import type { MarkdownAction, MarkdownAttachment } from '../protocol/message/types.js';
import { checkAttachments } from '../protocol/message/validate.js';
import { checkUnique } from '../protocol/message/validate-template-card.js';
import { assertButtonIdFits, splitButtonId } from './action.js';

/** One button of a classic markdown reply. */
export interface ReplyButton {
  /**
   * What `bot.action` matches, with the module's namespace: `buttonId('signup', 'join')` →
   * `signup:join`. Sent as the action `name`: ≤ 64 bytes, unique within the message.
   */
  id: string;
  /** The label, ≤ 128 bytes. */
  text: string;
  /** Echoed back as `ctx.action.value`, ≤ 128 bytes. */
  value?: string;
  /**
   * The label shown after the click (≤ 128 bytes). A classic robot cannot update a message
   * after a click; this is the one change it offers, and it is set when sending.
   */
  replaceText?: string;
  /** Hex colour of the border and the label, e.g. `2EAB49`. */
  color?: string;
}

/** Callback id when no button names a namespace; the router matches button ids, never this. */
const DEFAULT_CALLBACK_ID = 'wecombot';

/**
 * One markdown attachment holding `buttons`, checked against the documented limits.
 * The callback id is the first button's namespace (informational: routing uses the ids).
 *
 * A button without `value` is sent with its id as value, because WeCom echoes a value for
 * every button; `actionOf` then reports no value.
 *
 * @example
 * buttonsAttachment([{ id: 'signup:join', text: '报名', replaceText: '已报名' }])
 * // { callback_id: 'signup', actions: [{ name: 'signup:join', value: 'signup:join', text: '报名', type: 'button', replace_text: '已报名' }] }
 * @throws MessageValidationError naming the field: `buttons[2].id …` for ids, otherwise the
 *   wire path `markdown.attachments[0].actions[2].text` (action i is button i).
 */
export function buttonsAttachment(buttons: readonly ReplyButton[]): MarkdownAttachment {
  buttons.forEach((b, i) => assertButtonIdFits(String(b.id ?? ''), 'group', `buttons[${i}].id`));
  const actions = buttons.map(toAction);
  const first = buttons[0]?.id;
  const attachment: MarkdownAttachment = {
    callback_id: (first !== undefined ? splitButtonId(first).namespace : undefined) ?? DEFAULT_CALLBACK_ID,
    actions,
  };
  const c = new Checker();
  checkUnique(
    c,
    buttons.map((b, i) => ({ value: b.id, path: `buttons[${i}].id` })),
    'button id',
  );
  checkAttachments(c, [attachment], 'markdown.attachments');
  c.done();
  return attachment;
}

function toAction(button: ReplyButton): MarkdownAction {
  return {
    name: button.id,
    value: button.value ?? button.id,
    text: button.text,
    type: 'button',
    ...(button.color !== undefined && { border_color: button.color, text_color: button.color }),
    ...(button.replaceText !== undefined && { replace_text: button.replaceText }),
  };
}
