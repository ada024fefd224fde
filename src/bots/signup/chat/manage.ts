/**
 * `活动`: the activities of the chat with their 报名 buttons (`活动 A1`: one of them), and the
 * staff's sub-commands: `新建`, `关闭 A1`, `名额 A1 60`. `活动 帮助` lists them all.
 */
import type { Context } from '../../../bot/context.js';
import { CREATE_HELP, parseActivityCommand } from '../activity-command.js';
import { MAX_CAPACITY } from '../config.js';
import { deliverFromCallback } from '../deliver.js';
import { chatActivities, findActivity } from '../ledger/activities.js';
import type { Activity } from '../ledger/rows.js';
import { activityCounts } from '../ledger/roster.js';
import { activityCard, BUTTON, say } from '../messages.js';
import { isStaff, ledgerCall, type SignupDeps } from './deps.js';
import { announce, answer, type Button } from './reply.js';
import { roster } from './roster.js';

const HELP = [
  '**活动报名**',
  '报名 / 报名 A1 / 报名 2人：报名（人满进入候补）',
  '取消报名 / 取消报名 A1：取消',
  '确认参加：候补转正后确认名额',
  '活动 / 活动 A1：查看活动',
  '名单 / 名单 A1：查看名单（姓名已隐去）',
].join('\n');
const STAFF_HELP = [
  '',
  '工作人员：',
  '活动 关闭 A1：停止报名',
  '活动 名额 A1 60：修改名额',
  '名单 A1 全名：查看全名（仅自己可见）',
  '',
  CREATE_HELP,
].join('\n');

export async function activityCommand(ctx: Context, deps: SignupDeps, rest: string): Promise<void> {
  const [word = '', ...args] = rest.split(/\s+/).filter(Boolean);
  switch (word) {
    case '':
    case '列表':
      return show(ctx, deps, undefined);
    case '新建':
    case '创建':
      return staff(ctx, deps, () => create(ctx, deps, rest.replace(/^\s*(新建|创建)\s*/u, '')));
    case '关闭':
    case '停止':
      return staff(ctx, deps, () => close(ctx, deps, args[0]));
    case '名额':
      return staff(ctx, deps, () => resize(ctx, deps, args[0], args[1]));
    case '名单':
      return roster(ctx, deps, args.join(' '));
    case '帮助':
    case 'help':
      return void (await answer(ctx, isStaff(deps, ctx) ? HELP + STAFF_HELP : HELP));
    default:
      return show(ctx, deps, word);
  }
}

async function staff(ctx: Context, deps: SignupDeps, run: () => Promise<void>): Promise<void> {
  if (!isStaff(deps, ctx)) return void (await answer(ctx, say.staffOnly()));
  await run();
}

/** The card of one activity, or of all the chat's (at most five), with their 报名 buttons. */
async function show(ctx: Context, deps: SignupDeps, code: string | undefined): Promise<void> {
  const read = await ledgerCall(ctx, deps, 'read', async () => {
    await deps.desk.ready();
    const activities = code
      ? [await findActivity(deps.desk.ledger, code)].filter((a): a is Activity => a !== undefined)
      : (await chatActivities(deps.desk.ledger, ctx.chatId)).slice(0, 5);
    return Promise.all(activities.map(async (a) => ({ activity: a, counts: await activityCounts(deps.desk.ledger, a.id) })));
  });
  if (!read) return;
  if (read.value.length === 0) return void (await answer(ctx, code ? say.unknownActivity(code) : say.noActivity()));
  const now = deps.desk.ledger.now();
  const cards = read.value.map(({ activity, counts }) => activityCard(deps.desk.voice, activity, counts));
  const buttons: Button[] = read.value
    .filter(({ activity }) => activity.status === 'open' && now < activity.deadlineAt)
    .map(({ activity }) => ({
      id: deps.button(BUTTON.join(activity.id)),
      text: read.value.length > 1 ? `报名 ${activity.id}` : '我要报名',
    }));
  await announce(ctx, cards.join('\n\n'), buttons);
}

async function create(ctx: Context, deps: SignupDeps, text: string): Promise<void> {
  const parsed = parseActivityCommand(text, {
    timezone: deps.config.timezone,
    now: deps.desk.ledger.now(),
    chatId: ctx.chatType === 'single' ? undefined : ctx.chatId,
    offerMs: deps.config.confirmWithinMs,
  });
  if (!parsed.ok) return void (await answer(ctx, `${parsed.problem}\n\n${CREATE_HELP}`));
  const created = await ledgerCall(ctx, deps, 'create', () => deps.desk.create(parsed.activity, ctx.from.userId));
  if (!created) return;
  ctx.log.info({ activity: created.value.id, capacity: created.value.capacity }, 'signup activity created');
  const card = activityCard(deps.desk.voice, created.value, { held: 0, confirmed: 0, offered: 0, waitlisted: 0 });
  await announce(ctx, `${say.activityCreated(deps.desk.voice, created.value)}\n\n${card}`, [
    { id: deps.button(BUTTON.join(created.value.id)), text: '我要报名' },
  ]);
}

async function close(ctx: Context, deps: SignupDeps, code: string | undefined): Promise<void> {
  if (!code) return void (await answer(ctx, '请写明活动编号：活动 关闭 A1'));
  const done = await ledgerCall(ctx, deps, 'close', () => deps.desk.close(code, ctx.from.userId));
  if (!done) return;
  if (!done.value) return void (await answer(ctx, say.unknownActivity(code)));
  await announce(ctx, say.activityClosed(done.value.activity));
}

async function resize(ctx: Context, deps: SignupDeps, code: string | undefined, value: string | undefined): Promise<void> {
  const capacity = Number(value);
  if (!code || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    return void (await answer(ctx, `请写明活动编号和新名额（1 到 ${MAX_CAPACITY}）：活动 名额 A1 60`));
  }
  const done = await ledgerCall(ctx, deps, 'resize', () => deps.desk.resize(code, capacity, ctx.from.userId));
  if (!done) return;
  if (!done.value) return void (await answer(ctx, say.unknownActivity(code)));
  await answer(ctx, say.resized(done.value.activity, capacity, done.value.result.length));
  await deliverFromCallback(ctx, deps.desk, done.value, deps.log);
}
