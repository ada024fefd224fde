import { JOB_NAME_PATTERN, JOB_NAME_RULE } from '../../bot/jobs.js';
import { OptionReader, optionKeys } from '../shared/options.js';
import { resolveFields, type SignupField, type SignupFieldInput } from './fields.js';
import { isTimeZone, parseDeadline, parseDuration, parseTime } from './time.js';

/** An activity written in wecombot.config. */
export interface ActivityInput {
  /** Its code, typed by members in `报名 reading`: letters, digits, `-`, `_` (not `A1`…, those are chat-made). */
  id: string;
  title: string;
  /** `2025-06-07 14:00` (in `timezone`) or ISO 8601 with an offset. */
  startsAt: string;
  /** Seats, 1–10000. A party (`报名 2人`) takes as many seats as people. */
  capacity: number;
  /** Sign-ups close: a time, or a duration before the start (`2h`). Default: the start. */
  deadline?: string;
  /** Cancellation cut-off: a time, or a duration before the start (`24h`). Default: the start. */
  cancelBy?: string;
  /** Up to 5 fields: `name`, `phone`, `company`, `email`, `note`, a label (`职位`) or `{ label, kind, required }`. */
  fields?: SignupFieldInput[];
  /** The group it belongs to (its chatid); without it, every chat of the bot shows it. */
  chatId?: string;
  /** How long a promoted member has to confirm (default: the bot's `confirmWithin`). */
  confirmWithin?: string;
}

/** The `signup` bot's options, as written in wecombot.config. */
export interface SignupConfigInput {
  /** Userids of the staff: they create, close and resize activities and see full names. */
  staff?: string[];
  activities?: ActivityInput[];
  /** IANA time zone of times typed and shown (default Asia/Shanghai). */
  timezone?: string;
  /** Reminders before the start (default `['24h', '1h']`); `[]` sends none. */
  reminders?: string[];
  /** How long a member promoted from the waitlist has to confirm (default `2h`). */
  confirmWithin?: string;
  /** The largest party one member may sign up (`报名 3人`), 1–20 (default 5). */
  maxParty?: number;
  /**
   * Ask the fields in the single chat of this AI bot (智能机器人) instead of in the group: its
   * name as members see it. Without it, members answer in the group (masked, visible to them).
   */
  privateChat?: { robotName: string };
  /** The job that sends reminders, expires offers and delivers announcements. */
  sweep?: { name?: string; schedule?: string };
  /** Epoch ms "now" (tests, the emulator); default Date.now. */
  now?: () => number;
}

/** An activity as the bot keeps it: times in epoch ms. */
export interface ActivityDefinition {
  id: string;
  title: string;
  chatId: string | undefined;
  startsAt: number;
  capacity: number;
  deadlineAt: number;
  cancelBy: number;
  fields: SignupField[];
  offerMs: number;
}

export interface SignupConfig {
  staff: string[];
  activities: ActivityDefinition[];
  timezone: string;
  /** Lead times in ms, longest first. */
  reminders: number[];
  confirmWithinMs: number;
  maxParty: number;
  privateChat: { robotName: string } | undefined;
  sweep: { name: string; schedule: string };
  now: () => number;
}

/** Ids of activities made in chat: `A1`, `A2`… */
export const CHAT_ACTIVITY_ID = /^A\d+$/;
const CONFIG_ID: [RegExp, string] = [/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'must be 1–32 letters, digits, - or _, starting with a letter'];
export const MAX_CAPACITY = 10_000;
const HOUR = 3_600_000;

const OPTIONS = optionKeys<SignupConfigInput>({
  staff: true,
  activities: true,
  timezone: true,
  reminders: true,
  confirmWithin: true,
  maxParty: true,
  privateChat: true,
  sweep: true,
  now: true,
});
const ACTIVITY = optionKeys<ActivityInput>({
  id: true,
  title: true,
  startsAt: true,
  capacity: true,
  deadline: true,
  cancelBy: true,
  fields: true,
  chatId: true,
  confirmWithin: true,
});

function duration(r: OptionReader, key: string, fallback: number): number {
  const text = r.string(key);
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) r.fail(key, `"${text}" is not a duration (use 30m, 2h or 1d)`);
  return ms;
}

function activity(r: OptionReader, defaults: { timezone: string; offerMs: number; now: number }): ActivityDefinition {
  const id = r.requiredString('id', { pattern: CONFIG_ID });
  if (CHAT_ACTIVITY_ID.test(id)) r.fail('id', `"${id}" looks like an activity made in chat (A1, A2…); choose another`);
  const title = r.requiredString('title');
  const startsText = r.requiredString('startsAt');
  const clock = { timeZone: defaults.timezone, now: defaults.now };
  const startsAt = parseTime(startsText, clock) ?? r.fail('startsAt', `"${startsText}" is not a time (use 2025-06-07 14:00)`);
  const deadlineAt = deadline(r, 'deadline', startsAt, clock);
  const cancelBy = deadline(r, 'cancelBy', startsAt, clock);
  let fields: SignupField[] = [];
  const rawFields = r.raw('fields');
  if (rawFields !== undefined) {
    if (!Array.isArray(rawFields)) r.fail('fields', 'must be an array');
    try {
      fields = resolveFields(rawFields as SignupFieldInput[]);
    } catch (err) {
      const message = (err as Error).message;
      const at = /^\[\d+\]/.exec(message)?.[0] ?? '';
      r.fail(`fields${at}`, message.slice(at.length).trim());
    }
  }
  return {
    id,
    title,
    chatId: r.string('chatId'),
    startsAt,
    capacity: r.number('capacity', { min: 1, max: MAX_CAPACITY, integer: true }) ?? r.fail('capacity', 'is required'),
    deadlineAt,
    cancelBy,
    fields,
    offerMs: duration(r, 'confirmWithin', defaults.offerMs),
  };
}

function deadline(r: OptionReader, key: string, startsAt: number, clock: { timeZone: string; now: number }): number {
  const text = r.string(key);
  if (text === undefined) return startsAt;
  const at =
    parseDeadline(text, startsAt, clock) ??
    r.fail(key, `"${text}" is neither a time nor a duration before the start (use 2h or 2025-06-06 20:00)`);
  if (at > startsAt) r.fail(key, 'is after startsAt');
  return at;
}

/**
 * Validates the options once, at start-up; errors name the field.
 *
 * @example
 * parseSignupConfig({ activities: [{ id: 'reading', title: '读书会', startsAt: '2025-06-07 14:00', capacity: 0 }] })
 * // throws BotOptionsError "signup: activities[0].capacity must be at least 1"
 */
export function parseSignupConfig(input: SignupConfigInput = {}): SignupConfig {
  const r = OptionReader.root('signup', input, OPTIONS);
  const timezone = r.string('timezone', { default: 'Asia/Shanghai' })!;
  if (!isTimeZone(timezone)) r.fail('timezone', `"${timezone}" is not an IANA time zone`);
  const nowOption = r.raw('now');
  if (nowOption !== undefined && typeof nowOption !== 'function') r.fail('now', 'must be a function returning epoch ms');
  const now = (nowOption as (() => number) | undefined) ?? Date.now;
  const confirmWithinMs = duration(r, 'confirmWithin', 2 * HOUR);

  const reminders = (r.has('reminders') ? r.strings('reminders') : ['24h', '1h']).map((text, i) => {
    const ms = parseDuration(text);
    return ms !== undefined && ms > 0 ? ms : r.fail(`reminders[${i}]`, `"${text}" is not a duration (use 24h or 30m)`);
  });
  if (new Set(reminders).size !== reminders.length) r.fail('reminders', 'repeats a lead time');

  const rawActivities = r.raw('activities');
  if (rawActivities !== undefined && !Array.isArray(rawActivities)) r.fail('activities', 'must be an array');
  const activities = ((rawActivities as unknown[] | undefined) ?? []).map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) r.fail(`activities[${i}]`, 'must be an object');
    return activity(new OptionReader('signup', item as Record<string, unknown>, r.name(`activities[${i}]`)).only(ACTIVITY), {
      timezone,
      offerMs: confirmWithinMs,
      now: now(),
    });
  });
  const ids = new Set<string>();
  activities.forEach((a, i) => {
    if (ids.has(a.id)) r.fail(`activities[${i}].id`, `"${a.id}" is used twice`);
    ids.add(a.id);
  });

  const privateChat = r.object('privateChat', ['robotName']);
  const sweep = r.object('sweep', ['name', 'schedule']);
  return {
    staff: r.strings('staff'),
    activities,
    timezone,
    reminders: [...reminders].sort((a, b) => b - a),
    confirmWithinMs,
    maxParty: r.number('maxParty', { default: 5, min: 1, max: 20, integer: true })!,
    privateChat: privateChat ? { robotName: privateChat.requiredString('robotName') } : undefined,
    sweep: {
      name: sweep?.string('name', { pattern: [JOB_NAME_PATTERN, `must be ${JOB_NAME_RULE}`] }) ?? 'signup-sweep',
      schedule: sweep?.string('schedule') ?? '0 */2 * * * *',
    },
    now,
  };
}
