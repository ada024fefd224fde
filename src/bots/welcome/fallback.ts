/**
 * When a group welcome cannot be private: `visible_to_user` works on passive replies, but on
 * pushes only through a beta interface (unconfirmed for ordinary companies, so off unless
 * `privacy.pushVisibleTo` says otherwise), and never on AI bot replies. The configured
 * fallbacks are then tried in order:
 *
 * - `private`: a WelcomeCode of that customer is at hand (welcome-codes.ts): the welcome goes
 *   to them alone through send_welcome_msg, coupon included;
 * - `mention`: a public welcome @-mentioning the member; the coupon line says where to see the
 *   code (`我的券`), because a code shown to the group is a code anyone can use.
 *
 * Each fallback is logged with its reason, so an operator sees how welcomes actually went out.
 */
import type { Context } from '../../bot/context.js';
import { WecombotError } from '../../errors.js';
import { afterWelcome, couponNote, draftWelcome, type WelcomeDraft } from './compose.js';
import type { WelcomeDeps } from './deps.js';
import type { WelcomeSituation } from './rules.js';
import { takeWelcomeCode } from './welcome-codes.js';

export interface FallbackRequest {
  situation: WelcomeSituation;
  member: string;
  name: string;
  /** Why the welcome cannot be private in the chat (for the log). */
  reason: string;
  /** The chat, for the log and the coupon record. */
  chat: string;
  /** Sends the public welcome @-mentioning the member. */
  mention(text: string): Promise<void>;
}

/** send_welcome_msg answers that end the private fallback without a welcome ([OFFICIAL] 92599). */
const CODE_SPENT = new Set([41050, 41051]);

async function privately(ctx: Context, deps: WelcomeDeps, request: FallbackRequest): Promise<WelcomeDraft | undefined> {
  const stashed = await takeWelcomeCode(deps.kv, request.member, deps.now()).catch(() => undefined);
  if (!stashed) return undefined;
  const draft = await draftWelcome(deps, {
    situation: request.situation,
    name: request.name,
    customer: request.member,
    private: true,
    chat: request.chat,
  });
  try {
    await ctx.corp.welcome.send({ welcome_code: stashed.code, text: { content: draft.text } }, { receivedAt: stashed.receivedAt });
    return draft;
  } catch (err) {
    const errcode = (err as { errcode?: unknown }).errcode;
    const known = err instanceof WecombotError && typeof errcode === 'number' && CODE_SPENT.has(errcode);
    deps.log.warn(
      { err, member: request.member, ...(known && { code: err.code, hint: err.hint }) },
      'private welcome fallback failed; trying the next fallback',
    );
    return undefined;
  }
}

/**
 * Delivers the welcome through the first fallback that applies; false when none did (the
 * welcome is skipped, and logged).
 */
export async function deliverFallback(ctx: Context, deps: WelcomeDeps, request: FallbackRequest): Promise<boolean> {
  const { log, config } = deps;
  const where = { trigger: request.situation.trigger, chat: request.chat, member: request.member, reason: request.reason };
  for (const fallback of config.privacy.fallback) {
    if (fallback === 'private') {
      const draft = await privately(ctx, deps, request);
      if (!draft) continue;
      log.info(
        { ...where, fallback, via: 'send_welcome_msg', ...couponNote(draft) },
        'welcome privacy fallback: sent privately with a WelcomeCode at hand',
      );
      await afterWelcome(deps, draft);
      return true;
    }
    const draft = await draftWelcome(deps, {
      situation: request.situation,
      name: request.name,
      customer: request.member,
      private: false,
      chat: request.chat,
    });
    await request.mention(draft.text);
    log.info(
      { ...where, fallback, ...couponNote(draft) },
      'welcome privacy fallback: a public @-mention (the coupon code is not shown in it)',
    );
    return true;
  }
  log.warn({ ...where, fallbacks: config.privacy.fallback }, 'welcome skipped: it cannot be private here and no privacy fallback applies');
  return false;
}
