/**
 * `/signup-demo` in `wecombot dev` (`npm start`): a three-seat activity fills up, two members
 * go on the waitlist, a cancellation frees two seats and the waitlist is promoted (each offer
 * @-mentions its member, with a 确认参加 button), one confirms, one declines, the next in line
 * is asked, and the masked roster shows the result. Every message goes through the real
 * signed, encrypted pipeline.
 */
import type { EmulatorApi, EmulatorCommand } from '../../bot/emulator.js';
import { moduleTable } from '../../bot/module.js';
import type { SignupConfig } from './config.js';
import { NAMESPACE, SignupDesk } from './desk.js';
import { BUTTON } from './messages.js';
import { formatIsoLocal, parseTime } from './time.js';

const HOUR = 3_600_000;

export function signupDemo(config: SignupConfig): EmulatorCommand {
  return {
    name: 'signup-demo',
    description: '演示活动报名：坐满、候补、取消后候补转正 (a sign-up filling up, with a waitlist promotion)',
    async run(_args, emulator: EmulatorApi) {
      const store = await emulator.bot.store();
      const desk = new SignupDesk(store, (t) => moduleTable(store.namespace, 'signup', t), config);
      // Three days from now, 14:00 local time.
      const day = formatIsoLocal(config.now() + 3 * 24 * HOUR, config.timezone).slice(0, 10);
      const startsAt = parseTime(`${day} 14:00`, { timeZone: config.timezone, now: config.now() }) ?? config.now() + 3 * 24 * HOUR;
      const activity = await desk.create(
        {
          title: '周六读书会（演示）',
          chatId: undefined,
          startsAt,
          capacity: 3,
          deadlineAt: startsAt - 2 * HOUR,
          cancelBy: startsAt - 24 * HOUR,
          fields: [],
          offerMs: config.confirmWithinMs,
        },
        'emulator',
      );
      const id = activity.id;
      const step = async (line: string, act: () => Promise<void>) => {
        emulator.print(`\n— ${line} —`);
        await act();
      };
      const member = (userId: string, name: string) => emulator.member(userId, name);
      await step(`演示活动 ${id}：3 个名额`, () => member('zhangsan', '张三').says(`活动 ${id}`));
      await step('张三报名', () => member('zhangsan', '张三').says(`报名 ${id}`));
      await step('李四带一位朋友报名（报名 2人）：名额已满', () => member('lisi', '李四').says(`报名 ${id} 2人`));
      await step('王五、赵六、孙七报名：进入候补', async () => {
        await member('wangwu', '王五').says(`报名 ${id}`);
        await member('zhaoliu', '赵六').says(`报名 ${id}`);
        await member('sunqi', '孙七').says(`报名 ${id}`);
      });
      await step('张三重复报名：礼貌提醒编号', () => member('zhangsan', '张三').says(`报名 ${id}`));
      await step('李四取消：空出 2 个名额，候补前两位收到 @ 邀请', async () => {
        await member('lisi', '李四').says(`取消报名 ${id}`);
        // An AI bot has no webhook of its own: the sweep job delivers the invitations.
        if (emulator.robot === 'aibot') await emulator.runJob(config.sweep.name);
      });
      await step('王五确认参加', () => member('wangwu', '王五').click(`${NAMESPACE}:${BUTTON.confirm(id)}`));
      await step('赵六放弃名额：顺延给孙七', async () => {
        await member('zhaoliu', '赵六').click(`${NAMESPACE}:${BUTTON.decline(id)}`);
        if (emulator.robot === 'aibot') await emulator.runJob(config.sweep.name);
      });
      await step('名单（姓名已隐去）', () => member('zhangsan', '张三').says(`名单 ${id}`));
      emulator.print(`\n(/run ${config.sweep.name} 发送到期提醒、处理超时未确认的候补；wecombot signup export ${id} --csv 导出名单)`);
    },
  };
}
