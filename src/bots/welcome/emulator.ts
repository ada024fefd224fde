/**
 * The welcome bot in `wecombot dev` (`npm start`). `/welcome-demo` plays a newcomer's first
 * @-message in the group: the welcome with their coupon, visible to them only, then `我的券`
 * showing the same code again. `/customer <staff>` (the emulator's corp side) fires a corp
 * customer:add, welcomed privately through send_welcome_msg; `/join <wm…>` a group join.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorCommand } from '../../bot/emulator.js';
import type { WelcomeConfig, WelcomeConfigInput } from './config.js';
import type { ModuleServices } from '../../bot/module.js';
import { couponLedger, freeCount } from './coupons/ledger.js';

/** Options that show everything in the emulator: a generated pool, a channel and a holiday template. */
export function welcomeDemoOptions(): WelcomeConfigInput {
  return {
    text: '欢迎 {name} 加入！有问题随时 @我。\n🎁 你的新人券：{coupon}',
    templates: [{ channel: 'spring-poster', text: '欢迎扫码春季海报来的 {name}！\n🎁 春季新人券：{coupon}' }],
    coupons: { pool: 'demo', pattern: 'DEMO-{XXXXXX}', count: 200, alertAt: [20, 0] },
  };
}

export function welcomeEmulatorCommands(config: WelcomeConfig, services: ModuleServices): EmulatorCommand[] {
  let round = 0;
  return [
    {
      name: 'welcome-demo',
      description: '演示新人欢迎：新成员第一次 @机器人，收到仅自己可见的欢迎和新人券 (a welcome with a coupon)',
      usage: '[name]',
      async run(args, emulator) {
        round += 1;
        const name = args.trim() || `新朋友${round}`;
        const newcomer = emulator.member(`newbie-${randomBytes(3).toString('hex')}`, name);
        if (config.coupons) {
          const free = await freeCount(couponLedger(services.store, services.table, config.coupons.pool)).catch(() => undefined);
          if (free === 0)
            emulator.print(
              `(the coupon pool "${config.coupons.pool}" is empty: wecombot welcome coupons import codes.csv --pool ${config.coupons.pool})`,
            );
        }
        emulator.print(`\n— ${name} 第一次 @机器人：欢迎语只有 ta 能看到 (visible_to_user) —`);
        await newcomer.says('你好');
        if (config.coupons?.command) {
          emulator.print(`\n— ${name} 发送「${config.coupons.command}」：还是同一张券，每人一张 —`);
          await newcomer.says(config.coupons.command);
        }
        emulator.print(
          '\n(try /customer zhangsan wmNewCustomer spring-poster: a corp customer:add, welcomed privately through send_welcome_msg)',
        );
      },
    },
  ];
}
