/**
 * The syntax staff use to create an activity in chat, after `/活动 新建`: the title, then
 * `key：value` pairs, one per line or separated by `；`.
 *
 * ```
 * /活动 新建 周六读书会
 * 时间：6月7日 14:00
 * 名额：30
 * 截止：开始前 2小时
 * 取消：开始前 24小时
 * 字段：姓名，手机，公司
 * ```
 *
 * Only 时间 and 名额 are required. 截止 and 取消 take a time or a duration before the start
 * (default: the start). 字段 takes up to five labels (姓名、手机、公司、邮箱、备注 or any other).
 */
import type { ActivityDefinition } from './config.js';
import { MAX_CAPACITY } from './config.js';
import { MAX_FIELDS, resolveFields } from './fields.js';
import { parseDeadline, parseDuration, parseTime } from './time.js';

export const CREATE_HELP = [
  '创建活动（工作人员）：',
  '/活动 新建 周六读书会',
  '时间：6月7日 14:00',
  '名额：30',
  '截止：开始前 2小时',
  '取消：开始前 24小时',
  '字段：姓名，手机，公司',
  '（时间、名额必填；每项一行，或用「；」分隔）',
].join('\n');

type Key = 'title' | 'startsAt' | 'capacity' | 'deadline' | 'cancelBy' | 'fields' | 'confirmWithin';

const KEYS: Record<string, Key> = {
  标题: 'title',
  名称: 'title',
  活动: 'title',
  title: 'title',
  时间: 'startsAt',
  开始: 'startsAt',
  开始时间: 'startsAt',
  活动时间: 'startsAt',
  time: 'startsAt',
  名额: 'capacity',
  人数: 'capacity',
  容量: 'capacity',
  capacity: 'capacity',
  截止: 'deadline',
  报名截止: 'deadline',
  截止时间: 'deadline',
  deadline: 'deadline',
  取消: 'cancelBy',
  取消截止: 'cancelBy',
  cancel: 'cancelBy',
  字段: 'fields',
  信息: 'fields',
  填写: 'fields',
  fields: 'fields',
  确认时限: 'confirmWithin',
  候补确认: 'confirmWithin',
};

export type ParsedActivity = { ok: true; activity: Omit<ActivityDefinition, 'id'> } | { ok: false; problem: string };

/**
 * Parses the text after `新建`. `chatId` is the chat it was typed in (the activity belongs
 * there); `offerMs` the bot's default confirmation window.
 *
 * @example parseActivityCommand('读书会；时间=明天 19:30；名额=20', { timezone: 'Asia/Shanghai', now, chatId: 'wr1', offerMs: 7_200_000 })
 */
export function parseActivityCommand(
  text: string,
  options: { timezone: string; now: number; chatId: string | undefined; offerMs: number },
): ParsedActivity {
  const values: Partial<Record<Key, string>> = {};
  // `新建 读书会 时间：明天 19:30 名额：20` on one line: a known key after a space starts a pair.
  const keyStart = new RegExp(`\\s+(?=(?:${Object.keys(KEYS).join('|')})\\s*[:：=])`, 'gu');
  const segments = text
    .replace(keyStart, '\n')
    .split(/\r?\n|[；;]/u)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const [i, segment] of segments.entries()) {
    const pair = /^([^:：=]{1,8}?)\s*[:：=]\s*([\s\S]*)$/u.exec(segment);
    const key = pair ? KEYS[(pair[1] as string).trim().toLowerCase()] : undefined;
    if (!pair || !key) {
      if (i === 0 && values.title === undefined) {
        values.title = segment;
        continue;
      }
      return {
        ok: false,
        problem: `看不懂「${segment.slice(0, 20)}」：每项写成「名称：内容」，可用的名称有 标题、时间、名额、截止、取消、字段`,
      };
    }
    values[key] = (pair[2] as string).trim();
  }
  const clock = { timeZone: options.timezone, now: options.now };
  const title = values.title?.trim();
  if (!title) return { ok: false, problem: '缺少活动标题（写在「新建」后面）' };
  if (Array.from(title).length > 40) return { ok: false, problem: '活动标题最多 40 个字' };
  if (!values.startsAt) return { ok: false, problem: '缺少「时间」，例如 时间：6月7日 14:00' };
  const startsAt = parseTime(values.startsAt, clock);
  if (startsAt === undefined)
    return { ok: false, problem: `时间「${values.startsAt}」看不懂，例如 2025-06-07 14:00、6月7日 14:00 或 明天 19:30` };
  if (startsAt <= options.now) return { ok: false, problem: '活动时间已经过去了' };
  if (!values.capacity) return { ok: false, problem: '缺少「名额」，例如 名额：30' };
  const capacity = Number(/^(\d+)\s*(?:人|位|个)?$/u.exec(values.capacity)?.[1]);
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY)
    return { ok: false, problem: `名额必须是 1 到 ${MAX_CAPACITY} 之间的整数` };

  const deadlineAt = values.deadline === undefined ? startsAt : parseDeadline(values.deadline, startsAt, clock);
  if (deadlineAt === undefined) return { ok: false, problem: `截止「${values.deadline}」看不懂，例如 开始前 2小时 或 6月6日 20:00` };
  if (deadlineAt > startsAt) return { ok: false, problem: '报名截止时间晚于活动开始时间' };
  const cancelBy = values.cancelBy === undefined ? startsAt : parseDeadline(values.cancelBy, startsAt, clock);
  if (cancelBy === undefined) return { ok: false, problem: `取消「${values.cancelBy}」看不懂，例如 开始前 24小时` };
  if (cancelBy > startsAt) return { ok: false, problem: '取消截止时间晚于活动开始时间' };
  const offerMs = values.confirmWithin === undefined ? options.offerMs : parseDuration(values.confirmWithin);
  if (offerMs === undefined || offerMs <= 0) return { ok: false, problem: `确认时限「${values.confirmWithin}」看不懂，例如 2小时` };

  const labels = (values.fields ?? '').split(/[,，、\s]+/u).filter(Boolean);
  if (labels.length > MAX_FIELDS) return { ok: false, problem: `最多 ${MAX_FIELDS} 个字段` };
  let fields;
  try {
    fields = resolveFields(labels);
  } catch (err) {
    return { ok: false, problem: `字段有误：${(err as Error).message}` };
  }
  return { ok: true, activity: { title, chatId: options.chatId, startsAt, capacity, deadlineAt, cancelBy, fields, offerMs } };
}
