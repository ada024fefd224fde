/**
 * The built-in diagnostic bot, installed when no bots are configured: someone who has just set
 * up the callback URL @-mentions the robot and sees it work.
 */
import { defineBotModule } from './module.js';

export const DIAGNOSTIC_HELP = [
  'wecombot 已连接 ✅ (connected)',
  '还没有配置机器人：在 wecombot.config.ts 的 bots 中添加。',
  'No bots configured yet: add them to `bots` in wecombot.config.ts.',
  '发送 ping 测试 / send ping to test.',
].join('\n');

/** `ping` → `pong`; any other message → a short help text. */
export const diagnosticBot = defineBotModule({
  name: 'diagnostic',
  consumes: { catchAllText: true },
  setup(m) {
    m.hears(/^ping$/i, (ctx) => ctx.reply('pong'));
    m.on('message', (ctx) => ctx.reply(DIAGNOSTIC_HELP));
  },
});
