/**
 * `名单` / `名单 A1`: who is in, names masked (`张**`) for everyone. Staff may add `全名` to see
 * full names, visible to them only. Phone numbers are never shown in a chat; the full roster
 * is `wecombot signup export`.
 */
import type { Context } from '../../../bot/context.js';
import { maskName } from '../mask.js';
import type { Activity, Signup } from '../ledger/rows.js';
import { rosterOf } from '../ledger/roster.js';
import { say, title, when } from '../messages.js';
import { utf8ByteLength } from '../../../protocol/text/utf8.js';
import { isStaff, ledgerCall, type SignupDeps } from './deps.js';
import { pickActivity } from './pick.js';
import { announce, answer } from './reply.js';

/** Markdown replies are capped at 4096 bytes; the roster stops short of it. */
const ROSTER_BYTES = 3800;
const STATUS_MARK: Record<string, string> = { confirmed: '', offered: '（待确认）' };

/** The roster lines, cut to fit, with a line saying how many were left out. */
export function rosterMarkdown(deps: SignupDeps, activity: Activity, signups: readonly Signup[], full: boolean): string {
  const name = (s: Signup) => (full ? s.name : maskName(s.name));
  const line = (s: Signup) => `${s.number}. ${name(s)}${s.party > 1 ? ` ×${s.party}` : ''}${STATUS_MARK[s.status] ?? ''}`;
  const seated = signups.filter((s) => s.status !== 'waitlisted');
  const waiting = signups.filter((s) => s.status === 'waitlisted');
  const held = seated.reduce((n, s) => n + s.party, 0);
  const lines = [`**${title(activity)}名单** ${when(deps.desk.voice, activity.startsAt)}`, `已报名 ${held}/${activity.capacity}`];
  lines.push(...seated.map(line));
  if (waiting.length) lines.push(`候补 ${waiting.length} 人：`, ...waiting.map(line));
  let out = '';
  for (const [i, l] of lines.entries()) {
    const rest = lines.length - i;
    const tail = `\n…另有 ${rest} 行，完整名单请工作人员用 wecombot signup export 导出`;
    if (utf8ByteLength(out + l + '\n' + tail) > ROSTER_BYTES) return out + tail.trimStart();
    out += `${l}\n`;
  }
  return out.trimEnd();
}

export async function roster(ctx: Context, deps: SignupDeps, args: string): Promise<void> {
  const words = args.split(/\s+/).filter(Boolean);
  const full = words.includes('全名');
  const code = words.find((w) => w !== '全名');
  if (full && !isStaff(deps, ctx)) return void (await answer(ctx, say.staffOnly()));
  const read = await ledgerCall(ctx, deps, 'roster', async () => {
    await deps.desk.ready();
    const pick = await pickActivity(ctx, deps, code, { open: false });
    return pick.kind === 'one' ? { pick, signups: await rosterOf(deps.desk.ledger, pick.activity.id) } : { pick, signups: [] };
  });
  if (!read) return;
  const { pick, signups } = read.value;
  if (pick.kind === 'none') return void (await answer(ctx, say.noActivity()));
  if (pick.kind === 'unknown') return void (await answer(ctx, say.unknownActivity(pick.code)));
  if (pick.kind === 'many') {
    return void (await answer(ctx, ['请指定活动：', ...pick.activities.map((a) => `- 名单 **${a.id}** ${title(a)}`)].join('\n')));
  }
  const markdown = rosterMarkdown(deps, pick.activity, signups, full);
  // Full names are for the staff member who asked; the masked roster is for everyone.
  await (full ? answer(ctx, markdown) : announce(ctx, markdown));
}
