/**
 * Welcome templates: text with `{name}` (the member's name) and `{coupon}` (their coupon
 * code). Checked once at config time, so a typo such as `{nmae}` stops the start with the
 * field named instead of reaching a customer.
 *
 * When no code can be shown (the pool is empty, the store is down, or the welcome is public),
 * the whole line holding `{coupon}` becomes the matching note: "你的新人券：{coupon}" reads
 * "新人券已全部领完…" rather than "你的新人券：新人券已全部领完…".
 */
import { utf8ByteLength } from '../../protocol/text/utf8.js';

/** A checked template. */
export interface Template {
  readonly source: string;
  readonly usesCoupon: boolean;
}

/** What `{coupon}` becomes: the code, or a note replacing its whole line ('' drops the line). */
export type CouponSlot = { code: string } | { note: string } | undefined;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const KNOWN = new Set(['name', 'coupon']);

/**
 * The longest template accepted, in UTF-8 bytes. The smallest channel is the group robot's
 * text message (2048 bytes); this leaves room for a name (32 characters) and a code (64 bytes).
 */
export const MAX_TEMPLATE_BYTES = 1800;

/**
 * Checks `text`; a string is the reason it is refused.
 *
 * @example compileTemplate('欢迎 {nmae}', { coupons: false }) // 'has an unknown placeholder {nmae} (use {name} or {coupon})'
 */
export function compileTemplate(text: string, options: { coupons: boolean }): Template | string {
  if (text.trim() === '') return 'is empty';
  const bytes = utf8ByteLength(text);
  if (bytes > MAX_TEMPLATE_BYTES)
    return `is ${bytes} bytes; at most ${MAX_TEMPLATE_BYTES} fit a group robot's text message with a name and a code`;
  let coupons = 0;
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(name as string)) return `has an unknown placeholder {${name}} (use {name} or {coupon})`;
    if (name === 'coupon') coupons += 1;
  }
  if (coupons > 1) return 'has {coupon} more than once (each member gets one code)';
  if (coupons === 1 && !options.coupons) return 'uses {coupon}, but the welcome bot has no coupons option';
  return { source: text, usesCoupon: coupons === 1 };
}

/**
 * The text of a welcome.
 *
 * @example renderTemplate(t, { name: '小王', coupon: { code: 'NEW-8K2P' } }) // '欢迎 小王！\n你的新人券：NEW-8K2P'
 */
export function renderTemplate(template: Template, values: { name: string; coupon: CouponSlot }): string {
  const lines = template.source.split('\n').flatMap((line) => {
    if (!line.includes('{coupon}')) return [line];
    const slot = values.coupon;
    if (slot && 'code' in slot) return [line.replaceAll('{coupon}', slot.code)];
    const note = slot?.note ?? '';
    return note ? [note] : [];
  });
  // One pass, so a name that itself contains "{coupon}" stays text.
  return lines.join('\n').replace(PLACEHOLDER, (whole, name: string) => (name === 'name' ? values.name : whole));
}
