/**
 * Answering a member, the same way on both robots: in a group only the member sees answers
 * about their own sign-up (`visibleTo`); buttons are markdown buttons on the classic robot and
 * a button_interaction card on an AI bot.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from '../../../bot/context.js';
import type { ReplyReceipt } from '../../../bot/reply-envelope.js';

export interface Button {
  /** The full id, with the module's namespace (`signup:join:A1`). */
  id: string;
  text: string;
  replaceText?: string;
}

/** The AI bot renders markdown without font colours or `<@id>` mentions: keep the words. */
export function forRobot(robot: 'group' | 'aibot', markdown: string): string {
  if (robot === 'group') return markdown;
  return markdown.replace(/<font color="[a-z]+">([\s\S]*?)<\/font>/g, '$1').replace(/<@([^\s<>@]+)>/g, '@$1');
}

/** Only the member sees it in a group; a single chat is private anyway. */
function privately(ctx: Context): { visibleTo?: string } {
  return ctx.chatType === 'group' && ctx.from.userId ? { visibleTo: ctx.from.userId } : {};
}

/** An answer only the member sees (in a group), with optional buttons. */
export function answer(ctx: Context, markdown: string, buttons: readonly Button[] = []): Promise<ReplyReceipt> {
  return say(ctx, markdown, buttons, privately(ctx));
}

/** An answer the whole chat sees (an activity card, a roster). */
export function announce(ctx: Context, markdown: string, buttons: readonly Button[] = []): Promise<ReplyReceipt> {
  return say(ctx, markdown, buttons, {});
}

function say(ctx: Context, markdown: string, buttons: readonly Button[], options: { visibleTo?: string }): Promise<ReplyReceipt> {
  if (ctx.robot === 'group') {
    return ctx.reply(
      { markdown, buttons: buttons.map((b) => ({ id: b.id, text: b.text, ...(b.replaceText ? { replaceText: b.replaceText } : {}) })) },
      options,
    );
  }
  const text = forRobot('aibot', markdown);
  if (buttons.length === 0) return ctx.reply({ markdown: text });
  const [heading, ...rest] = text.split('\n');
  return ctx.reply({
    card: {
      card_type: 'button_interaction',
      main_title: { title: plain(heading ?? '').slice(0, 60) },
      ...(rest.length ? { sub_title_text: plain(rest.join('\n')).slice(0, 300) } : {}),
      button_list: buttons.slice(0, 6).map((b, i) => ({ text: b.text, key: b.id, style: i === 0 ? 1 : 2 })),
      // Unique per bot (doc 101032): letters, digits, _-@ only.
      task_id: `signup-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
    },
  });
}

/** Markdown marks out, for card titles. */
function plain(markdown: string): string {
  return markdown
    .replace(/\*\*/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}
