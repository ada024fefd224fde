/**
 * A member's welcome text: the template for the situation, their name, and their coupon:
 * claimed only when the welcome is private (a code is never shown to a group), otherwise the
 * template's coupon line says where to see it.
 */
import type { CouponOutcome } from './coupons/book.js';
import type { WelcomeDeps } from './deps.js';
import { pickTemplate, type WelcomeSituation } from './rules.js';
import { renderTemplate } from './template.js';

export interface WelcomeDraft {
  text: string;
  /** What the welcome says about the coupon; undefined when its template has none. */
  coupon: CouponOutcome | 'withheld' | undefined;
}

export interface DraftRequest {
  situation: WelcomeSituation;
  /** A promise lets a name lookup run while the code is claimed. */
  name: string | Promise<string>;
  /** The holder of the coupon. */
  customer: string;
  /** Only the member will see this welcome (a private channel or visible_to_user). */
  private: boolean;
  /** Recorded with a claimed code. */
  chat?: string;
}

/**
 * Drafts the welcome; claims the member's code when the template shows one and the welcome
 * is private. Never throws for the coupon (a store failure becomes the "unavailable" line).
 */
export async function draftWelcome(deps: WelcomeDeps, request: DraftRequest): Promise<WelcomeDraft> {
  const { config, book } = deps;
  const template = pickTemplate(
    { rules: config.rules, fallback: config.fallback, holidays: config.holidays, timezone: config.timezone },
    request.situation,
  );
  if (!template.usesCoupon || !book)
    return { text: renderTemplate(template, { name: await request.name, coupon: undefined }), coupon: undefined };
  if (!request.private)
    return { text: renderTemplate(template, { name: await request.name, coupon: book.slot('withheld') }), coupon: 'withheld' };
  const claim = book.claim({ customer: request.customer, via: request.situation.trigger, ...(request.chat && { chat: request.chat }) });
  const name = await request.name;
  const outcome = await claim;
  return { text: renderTemplate(template, { name, coupon: book.slot(outcome) }), coupon: outcome };
}

/** For log lines: what the welcome said about the coupon (never the code itself). */
export function couponNote(draft: WelcomeDraft): Record<string, unknown> {
  const c = draft.coupon;
  if (c === undefined) return {};
  if (c === 'withheld' || c.kind !== 'issued') return { coupon: typeof c === 'string' ? c : c.kind };
  return { coupon: c.fresh ? 'issued' : 'held', couponSeq: c.seq };
}

/** Runs the stock check after a welcome that showed (or could not show) a code. */
export async function afterWelcome(deps: WelcomeDeps, draft: WelcomeDraft): Promise<void> {
  if (deps.book && draft.coupon && draft.coupon !== 'withheld') await deps.book.afterWelcome(draft.coupon);
}
