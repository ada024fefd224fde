import { defineBotModule, type ModuleServices } from '../../bot/module.js';
import { cancel, decline } from './chat/cancel.js';
import { confirm } from './chat/confirm.js';
import type { SignupDeps } from './chat/deps.js';
import { answerForm } from './chat/form.js';
import { join, parseJoinArgs } from './chat/join.js';
import { activityCommand } from './chat/manage.js';
import { readIntent } from './chat/pick.js';
import { answer } from './chat/reply.js';
import { roster } from './chat/roster.js';
import { parseSignupConfig, type SignupConfig, type SignupConfigInput } from './config.js';
import { SignupDesk } from './desk.js';
import { signupDemo } from './emulator.js';
import { signupMigrations } from './ledger/schema.js';
import { say } from './messages.js';
import { sweepJob } from './sweep.js';

/** One desk per installed module: setup and jobs share it (and its config sync). */
const desks = new WeakMap<ModuleServices, SignupDesk>();
function deskFor(services: ModuleServices, config: SignupConfig): SignupDesk {
  let desk = desks.get(services);
  if (!desk) {
    desk = new SignupDesk(services.store, (t) => services.table(t), config);
    desks.set(services, desk);
  }
  return desk;
}

const firstWord = (text: string): string | undefined => text.trim().split(/\s+/)[0] || undefined;

/**
 * The `signup` bot: activity sign-ups in the group. Members sign up with `报名` (or a button,
 * or `报名 2人`); capacity is exact across instances (each sign-up is one transaction under the
 * activity's row lock); the waitlist is promoted in arrival order, each promoted member
 * @-mentioned and asked to confirm by a deadline; reminders go out before the start; every
 * change is audited. Fields (name, phone…) are asked in the AI bot's single chat when
 * `privateChat` is set, otherwise in the group, visible to the member only and echoed masked.
 *
 * @example
 * // wecombot.config.ts
 * export default defineConfig({
 *   bots: [signup({ staff: ['zhangsan'], activities: [{ id: 'reading', title: '周六读书会', startsAt: '2025-06-07 14:00', capacity: 30, fields: ['name', 'phone'] }] })],
 * });
 */
export const signup = defineBotModule({
  name: 'signup',
  options: (input: SignupConfigInput) => parseSignupConfig(input),
  consumes: { commands: ['报名', '取消报名', '确认参加', '活动', '名单'], buttons: ['signup'] },
  migrations: signupMigrations,
  setup(m, config, services) {
    const deps: SignupDeps = {
      desk: deskFor(services, config),
      config,
      store: services.store,
      kv: services.kv,
      log: services.log,
      events: services.events,
      button: (id) => m.button(id),
    };
    m.command('报名', (ctx) => join(ctx, deps, parseJoinArgs(ctx.match)));
    // `报名2人`, without a space, is not the command word 报名.
    m.hears(/^[/／]?报名\s*(\d{1,3})\s*[人位名]$/u, (ctx) => join(ctx, deps, { code: undefined, party: Number(ctx.match[1]) }));
    m.command('取消报名', (ctx) => cancel(ctx, deps, firstWord(ctx.match)));
    m.command('确认参加', (ctx) => confirm(ctx, deps, firstWord(ctx.match)));
    m.command('活动', (ctx) => activityCommand(ctx, deps, ctx.match));
    m.command('名单', (ctx) => roster(ctx, deps, ctx.match));
    m.action(/^join:(.+)$/, (ctx) => join(ctx, deps, { code: ctx.match[1], party: 1 }));
    m.action(/^confirm:(.+)$/, (ctx) => confirm(ctx, deps, ctx.match[1]));
    m.action(/^decline:(.+)$/, (ctx) => decline(ctx, deps, ctx.match[1] as string));
    // A member sent to the AI bot's single chat opens it: pick up where the group left off.
    m.on('event:enter_chat', async (ctx, next) => {
      const intent = await readIntent(deps, ctx.from.userId).catch(() => undefined);
      const activity = intent ? await deps.desk.find(intent.activityId).catch(() => undefined) : undefined;
      if (!activity) return next();
      await answer(ctx, say.resumePrivate(activity));
    });
    m.on(['text', 'voice'], (ctx, next) => answerForm(ctx, deps, next));
  },
  jobs: (config, services) => [sweepJob(config, services, deskFor(services, config))],
  emulator: (config) => [signupDemo(config)],
});
