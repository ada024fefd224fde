/** What the triggers share: the options, the coupon book, the greeting marks, the pusher. */
import type { Logger } from 'pino';
import type { ModuleKv } from '../../bot/module.js';
import type { WelcomeConfig } from './config.js';
import type { CouponBook } from './coupons/book.js';
import type { Greetings } from './greetings.js';
import type { RobotPush } from './robot-push.js';

export interface WelcomeDeps {
  readonly config: WelcomeConfig;
  /** Absent when the bot has no `coupons` option. */
  readonly book: CouponBook | undefined;
  readonly greetings: Greetings;
  readonly kv: ModuleKv;
  readonly push: RobotPush;
  readonly log: Logger;
  /** Epoch ms: the options' `now`, else the bot's clock. */
  readonly now: () => number;
}
