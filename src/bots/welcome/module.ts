import { defineBotModule } from '../../bot/module.js';
import { parseWelcomeConfig, type WelcomeConfigInput } from './config.js';
import { COUPON_COMMAND } from './coupon-config.js';
import { CouponBook } from './coupons/book.js';
import { couponLedger } from './coupons/ledger.js';
import { couponMigrations } from './coupons/schema.js';
import { syncConfiguredPool } from './coupons/sync.js';
import type { WelcomeDeps } from './deps.js';
import { welcomeEmulatorCommands } from './emulator.js';
import { Greetings } from './greetings.js';
import { lazyRobotPush } from './robot-push.js';
import { welcomeNewCustomer } from './triggers/customer-add.js';
import { welcomeEnterChat } from './triggers/enter-chat.js';
import { welcomeFirstMessage } from './triggers/first-message.js';
import { welcomeGroupJoin } from './triggers/group-join.js';
import { showMyCoupon } from './triggers/my-coupon.js';

/**
 * The `welcome` bot: new customers and members get a welcome, with a new-user coupon, that
 * only they see.
 *
 * - `customer-add`: a customer added a staff member (corp app): send_welcome_msg, at once;
 * - `group-join`: customers joined a customer group (corp app): the group's robot welcomes them;
 * - `enter-chat`: a member opened the single chat with the robot: a welcome text or card;
 * - `first-message`: a member's first @-message in a group: a reply only they see.
 *
 * One code per customer, ever (an atomic claim in the module's table, unique per customer);
 * a low-pool alert per threshold crossing; one welcome per (customer, chat) per `suppressFor`.
 *
 * @example
 * // wecombot.config.ts
 * export default defineConfig({
 *   corp: { identity: true },
 *   bots: [
 *     welcome({
 *       text: '欢迎 {name}！\n你的新人券：{coupon}',
 *       templates: [{ channel: 'spring-poster', text: '春季海报来的 {name}，欢迎！\n新人券：{coupon}' }],
 *       groups: { wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA: { webhook: process.env.VIP_GROUP_WEBHOOK!, chatId: 'wrkSFfCgAAtMQKg4xqDatM5C9IvREPsw' } },
 *       coupons: { file: './coupons.csv', alertAt: [50, 0], alertWebhook: process.env.OPS_WEBHOOK },
 *     }),
 *   ],
 * });
 */
export const welcome = defineBotModule({
  name: 'welcome',
  options: (input: WelcomeConfigInput) => parseWelcomeConfig(input),
  consumes: { commands: [COUPON_COMMAND] },
  migrations: couponMigrations,
  // A relative pool file is packed into `wecombot build` bundles, next to index.js.
  assets: (config) => {
    const source = config.coupons?.source;
    return source?.kind === 'file' && !/^([a-z]:)?[\\/]/i.test(source.file) ? [source.file] : [];
  },
  async setup(m, config, services) {
    const push = lazyRobotPush(services.store, services.log);
    const now = config.now ?? (() => services.clock.now());
    let book: CouponBook | undefined;
    if (config.coupons) {
      const ledger = couponLedger(services.store, services.table, config.coupons.pool, now);
      // A malformed pool file stops the start here, naming its file and line.
      await syncConfiguredPool(ledger, config.coupons, services.log);
      book = new CouponBook(ledger, config.coupons, push, services.log, services.events);
    }
    const deps: WelcomeDeps = {
      config,
      book,
      greetings: new Greetings(services.kv, config.suppressForMs),
      kv: services.kv,
      push,
      log: services.log,
      now,
    };

    m.on(['customer:add', 'customer:half-add'], (ctx, next) => welcomeNewCustomer(ctx, ctx.message, deps, next));
    m.on('group:join', (ctx, next) => welcomeGroupJoin(ctx, ctx.message, deps, next));
    m.on('event:enter_chat', (ctx, next) => welcomeEnterChat(ctx, deps, next));
    // Before the command, so a newcomer whose first words are 我的券 is welcomed (with the code).
    m.on('message', (ctx, next) => welcomeFirstMessage(ctx, deps, next));
    if (book?.config.command) m.command(COUPON_COMMAND, (ctx) => showMyCoupon(ctx, deps));
  },
  emulator: (config, services) => welcomeEmulatorCommands(config, services),
});
