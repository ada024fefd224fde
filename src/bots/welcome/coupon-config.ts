/**
 * The `coupons` options of the welcome bot: which pool, where its codes come from, when to
 * alert, and what members are told when no code can be shown.
 */
import type { OptionReader } from '../shared/options.js';
import { capacityProblem, parsePattern, type CodePattern } from './coupons/pattern.js';

export interface CouponConfigInput {
  /** The pool's name (default `default`): letters, digits, `-`, `_`. */
  pool?: string;
  /** A pool file imported when the bot starts and the file changed: CSV with a `code` column, or one code a line. */
  file?: string;
  /** Codes generated when the bot starts, up to `count` in the pool: `NEW-{XXXXXX}` (see docs). */
  pattern?: string;
  count?: number;
  /** Alert when the free codes fall to each of these counts (default `[20, 0]`); `[]` never alerts. */
  alertAt?: number[];
  /** The ops group robot's webhook for the alert; without it the alert is a log line. */
  alertWebhook?: string;
  /** The command `我的券`, which shows a member their own code privately (default true). */
  command?: boolean;
  /** How long a welcome waits for its code before saying it cannot be shown (default 2000 ms). */
  claimTimeoutMs?: number;
  /** The line replacing `{coupon}` when the pool is empty. */
  emptyText?: string;
  /** … when the store failed (no code was issued, fail closed). */
  unavailableText?: string;
  /** … in a public welcome (an @-mention fallback): the code is never shown to the group. */
  withheldText?: string;
}

export type CouponSource = { kind: 'file'; file: string } | { kind: 'pattern'; pattern: CodePattern; count: number };

export interface CouponConfig {
  pool: string;
  source: CouponSource | undefined;
  alertAt: number[];
  alertWebhook: string | undefined;
  /** `我的券`, or undefined when turned off. */
  command: string | undefined;
  claimTimeoutMs: number;
  texts: { empty: string; unavailable: string; withheld: string };
}

/**
 * The coupon command. One fixed word: a module declares its commands (`consumes`) before its
 * options are read, so the word cannot come from the options.
 */
export const COUPON_COMMAND = '我的券';

const POOL_NAME: [RegExp, string] = [/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, - or _'];

function note(r: OptionReader, key: string, fallback: string): string {
  const v = r.raw(key);
  if (v === undefined) return fallback;
  if (typeof v !== 'string') r.fail(key, "must be a string ('' drops the coupon line)");
  if (v.includes('{coupon}')) r.fail(key, 'cannot contain {coupon}: it is shown when there is no code');
  return v;
}

function source(r: OptionReader): CouponSource | undefined {
  const file = r.string('file');
  const patternText = r.string('pattern');
  if (file && patternText) r.fail('pattern', 'and file are both set: a pool comes from one of them');
  if (r.has('count') && !patternText) r.fail('count', 'needs pattern (a file brings its own codes)');
  if (file) return { kind: 'file', file };
  if (!patternText) return undefined;
  const pattern = parsePattern(patternText);
  if (typeof pattern === 'string') r.fail('pattern', pattern);
  const count =
    r.number('count', { min: 1, max: 1_000_000, integer: true }) ??
    r.fail('count', 'is required with pattern (how many codes to generate)');
  const problem = capacityProblem(pattern, count);
  if (problem) r.fail('pattern', problem);
  return { kind: 'pattern', pattern, count };
}

/** Validates `coupons`; errors name the field (`coupons.alertAt[1]`). */
export function parseCouponConfig(r: OptionReader): CouponConfig {
  const alertAt = r.has('alertAt') ? r.raw('alertAt') : [20, 0];
  if (!Array.isArray(alertAt)) r.fail('alertAt', 'must be an array of counts');
  const thresholds = alertAt.map((n: unknown, i) =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : r.fail(`alertAt[${i}]`, 'must be a whole number, 0 or more'),
  );
  const commandRaw = r.raw('command');
  if (commandRaw !== undefined && typeof commandRaw !== 'boolean') r.fail('command', 'must be true or false');
  const command = commandRaw === false ? undefined : COUPON_COMMAND;
  const retrieve = command ? `@我 发送「${command}」查看` : '请联系客服领取';
  return {
    pool: r.string('pool', { default: 'default', pattern: POOL_NAME })!,
    source: source(r),
    alertAt: [...new Set(thresholds)].sort((a, b) => b - a),
    alertWebhook: r.string('alertWebhook', { url: true }),
    command,
    claimTimeoutMs: r.number('claimTimeoutMs', { default: 2000, min: 100, max: 10_000, integer: true })!,
    texts: {
      empty: note(r, 'emptyText', '🎁 新人券已全部领完，感谢你的关注！'),
      unavailable: note(r, 'unavailableText', `🎁 新人券暂时无法发放，稍后${retrieve}。`),
      withheld: note(r, 'withheldText', `🎁 你的新人券仅你可见：${retrieve}。`),
    },
  };
}
