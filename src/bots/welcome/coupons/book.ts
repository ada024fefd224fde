/**
 * The coupon side of a welcome, as the triggers see it: claim a code for a member (bounded in
 * time, never throwing: a store failure is "unavailable", and no code is shown), then check
 * the stock once the welcome has gone out.
 */
import type { Logger } from 'pino';
import type { ModuleEvents } from '../../../bot/events.js';
import type { CouponConfig } from '../coupon-config.js';
import type { RobotPush } from '../robot-push.js';
import type { CouponSlot } from '../template.js';
import { claimCoupon, type ClaimRequest } from './claim.js';
import type { CouponLedger } from './ledger.js';
import { checkStock, stockAlertMarkdown } from './stock-alert.js';

/** What a member's welcome can say about their coupon. */
export type CouponOutcome = { kind: 'issued'; code: string; seq: number; fresh: boolean } | { kind: 'empty' } | { kind: 'unavailable' };

class ClaimTimeout extends Error {
  constructor(ms: number) {
    super(`the coupon store did not answer within ${ms} ms`);
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ClaimTimeout(ms)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class CouponBook {
  constructor(
    readonly ledger: CouponLedger,
    readonly config: CouponConfig,
    private readonly push: RobotPush,
    private readonly log: Logger,
    /** `coupon.claimed` goes out for each freshly issued code (the tags bot's behaviour rules hear it). */
    private readonly events?: ModuleEvents,
  ) {}

  /**
   * The member's code, or why there is none. Logs the code's seq, never the code.
   *
   * @example const outcome = await book.claim({ customer: 'wmX', via: 'customer-add' });
   */
  async claim(request: ClaimRequest, timeoutMs = this.config.claimTimeoutMs): Promise<CouponOutcome> {
    const claim = claimCoupon(this.ledger, request);
    try {
      const result = await within(claim, timeoutMs);
      if (result.kind === 'empty')
        this.log.warn(
          { pool: this.ledger.pool, customer: request.customer, via: request.via },
          'coupon pool is empty: the member is told so',
        );
      else
        this.log.info(
          { pool: this.ledger.pool, couponSeq: result.seq, fresh: result.fresh, customer: request.customer, via: request.via },
          result.fresh ? 'coupon issued' : 'coupon already held: shown again',
        );
      if (result.kind === 'issued' && result.fresh) {
        // A corp customer's id is an external userid (wm…/wo…); a member's is a corp userid.
        const who = /^w[mo]/.test(request.customer) ? { externalUserId: request.customer } : { userId: request.customer };
        await this.events?.emit('coupon.claimed', { code: result.code, ...who, ...(request.chat ? { chatId: request.chat } : {}) });
      }
      return result;
    } catch (err) {
      // Fail closed: no code is shown. A claim that still commits later stays the member's
      // (the same code comes back next time); it can never become a second one.
      claim.catch(() => undefined);
      this.log.error(
        {
          err,
          code: 'welcome_coupon_unavailable',
          pool: this.ledger.pool,
          customer: request.customer,
          via: request.via,
          hint: 'check the database of WECOMBOT_DATABASE_URL; no coupon was issued for this welcome',
        },
        'coupon claim failed: the welcome says the coupon is unavailable',
      );
      return { kind: 'unavailable' };
    }
  }

  /** After the welcome went out: a code taken, or an empty pool, may cross an alert threshold. */
  async afterWelcome(outcome: CouponOutcome): Promise<void> {
    if ((outcome.kind === 'issued' && outcome.fresh) || outcome.kind === 'empty') {
      await checkStock(this.ledger, this.config.alertAt, (free, level) => this.#alert(free, level), this.log);
    }
  }

  /** What `{coupon}` becomes for `outcome`. */
  slot(outcome: CouponOutcome | 'withheld'): CouponSlot {
    if (outcome === 'withheld') return { note: this.config.texts.withheld };
    if (outcome.kind === 'issued') return { code: outcome.code };
    return { note: outcome.kind === 'empty' ? this.config.texts.empty : this.config.texts.unavailable };
  }

  async #alert(free: number, level: number): Promise<void> {
    const webhook = this.config.alertWebhook;
    if (!webhook) return; // the log line of checkStock is the alert
    await this.push.send(webhook, { msgtype: 'markdown', markdown: { content: stockAlertMarkdown(this.ledger.pool, free, level) } });
  }
}
