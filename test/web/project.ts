/** A project for the web emulator tests: a config whose bot answers the same way every run. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CONFIG = `export default {
  setup(bot) {
    bot.hears(/^ping$/, (ctx) => ctx.reply('pong'));
    bot.hears(/^secret$/, (ctx) => ctx.reply('只有你能看到这条', { visibleTo: [ctx.from.userId] }));
    bot.hears(/^card$/, (ctx) =>
      ctx.reply({ card: { card_type: 'button_interaction', source: { desc: '团队活动' }, main_title: { title: '今晚聚餐？', desc: '19:00 老地方' },
        task_id: 'dinner-' + Date.now(), button_list: [{ text: '参加', key: 'dinner:yes', style: 1 }, { text: '不参加', key: 'dinner:no', style: 2 }] } }),
    );
    bot.action('dinner:yes', (ctx) =>
      ctx.updateCard({ card_type: 'button_interaction', source: { desc: '团队活动' }, main_title: { title: '今晚聚餐？', desc: '已报名 ✓' },
        button_list: [{ text: '已参加', key: 'dinner:done', style: 2 }] }, { userIds: [ctx.from.userId] }),
    );
    bot.hears(/^menu$/, (ctx) =>
      ctx.reply({ markdown: '**本周活动** <font color="info">报名中</font>\\n> 周五 羽毛球 <font color="warning">余 2 位</font>\\n<font color="comment">点按钮报名</font>',
        attachments: [{ callback_id: 'signup', actions: [{ name: 'join', value: 'badminton', text: '报名', type: 'button' }] }] }),
    );
    bot.on('attachment', (ctx) => ctx.reply('已报名 ' + ctx.message.actions[0].value + ' (' + ctx.from.userId + ')'));
    bot.hears(/^table$/, (ctx) =>
      ctx.reply({ markdownV2: '## 值班表\\n| 日期 | 值班 |\\n| --- | --- |\\n| 周一 | Alice |\\n| 周二 | Bob |\\n\\n\`\`\`bash\\nwecombot dev --web\\n\`\`\`' }),
    );
    // A click is answered passively only with a card update: this reply goes through the
    // response_url while the callback is still open.
    bot.action('dinner:no', (ctx) => ctx.reply('好的，下次再约 (' + ctx.from.userId + ')'));
    // Errors outside any handler: a throw in a timer and a rejected promise nobody awaits.
    bot.hears(/^bg$/, (ctx) => {
      setTimeout(() => {
        throw new Error('background boom');
      }, 0);
      void Promise.reject(new Error('rejected boom'));
      return ctx.reply('ok, later');
    });
    bot.hears(/^crash$/, () => {
      throw new Error('boom in the handler');
    });
    bot.job('digest', '0 0 9 * * *', (job) => job.push('早报：今天 3 个新活动'));
  },
};
`;

/** A fresh directory with the config (and its own .wecombot/ store). */
export function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecombot-web-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'wecombot.config.ts'), CONFIG);
  return dir;
}
