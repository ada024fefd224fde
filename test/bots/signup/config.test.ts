/**
 * The pure parts: the config schema (bad fields named), times and durations as people write
 * them, the staff's creation syntax, answers and masks.
 */
import { describe, expect, it } from 'vitest';
import { parseActivityCommand } from '../../../src/bots/signup/activity-command.js';
import { parseSignupConfig } from '../../../src/bots/signup/config.js';
import { checkAnswer, resolveFields } from '../../../src/bots/signup/fields.js';
import { parseJoinArgs } from '../../../src/bots/signup/chat/join.js';
import { maskName, maskPhone } from '../../../src/bots/signup/mask.js';
import { signup } from '../../../src/bots/signup/module.js';
import { formatTime, parseDuration, parseTime } from '../../../src/bots/signup/time.js';
import { BotOptionsError } from '../../../src/bots/shared/options.js';
import { reading, T0 } from './helpers.js';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);

describe('signup config', () => {
  const bad: [string, unknown, string][] = [
    ['capacity 0', { activities: [reading({ capacity: 0 })] }, 'signup: activities[0].capacity must be at least 1'],
    ['capacity not an integer', { activities: [reading({ capacity: 2.5 })] }, 'signup: activities[0].capacity must be an integer'],
    ['no startsAt', { activities: [reading({ startsAt: undefined })] }, 'signup: activities[0].startsAt is required'],
    [
      'startsAt unreadable',
      { activities: [reading({ startsAt: '6月32日' })] },
      'signup: activities[0].startsAt "6月32日" is not a time (use 2025-06-07 14:00)',
    ],
    [
      'deadline after start',
      { activities: [reading({ deadline: '2030-06-04 10:00' })] },
      'signup: activities[0].deadline is after startsAt',
    ],
    [
      'cancelBy unreadable',
      { activities: [reading({ cancelBy: 'soon' })] },
      'signup: activities[0].cancelBy "soon" is neither a time nor a duration',
    ],
    [
      'six fields',
      { activities: [reading({ fields: ['name', 'phone', 'company', 'email', 'note', '职位'] })] },
      'signup: activities[0].fields has 6 fields; at most 5',
    ],
    [
      'a repeated field',
      { activities: [reading({ fields: ['phone', '手机'] })] },
      'signup: activities[0].fields[1] repeats the field "手机"',
    ],
    [
      'a bad field kind',
      { activities: [reading({ fields: [{ label: '年龄', kind: 'age' }] })] },
      'signup: activities[0].fields[0] kind must be text, phone, email or number (got "age")',
    ],
    ['an id like a chat one', { activities: [reading({ id: 'A7' })] }, 'signup: activities[0].id "A7" looks like an activity made in chat'],
    ['an id with spaces', { activities: [reading({ id: 'my event' })] }, 'signup: activities[0].id must be 1–32 letters'],
    ['the same id twice', { activities: [reading(), reading()] }, 'signup: activities[1].id "reading" is used twice'],
    ['activities not a list', { activities: { id: 'x' } }, 'signup: activities must be an array'],
    ['a bad time zone', { timezone: 'Mars/Olympus' }, 'signup: timezone "Mars/Olympus" is not an IANA time zone'],
    ['a bad reminder', { reminders: ['24h', 'tomorrow'] }, 'signup: reminders[1] "tomorrow" is not a duration'],
    ['maxParty 0', { maxParty: 0 }, 'signup: maxParty must be at least 1'],
    ['staff not strings', { staff: ['boss', 7] }, 'signup: staff[1] must be a non-empty string'],
    ['privateChat without a name', { privateChat: {} }, 'signup: privateChat.robotName is required'],
    ['a bad job name', { sweep: { name: '1st sweep' } }, 'signup: sweep.name must be'],
  ];
  it.each(bad)('refuses %s, naming the field', (_, input, message) => {
    expect(() => parseSignupConfig(input as never)).toThrow(BotOptionsError);
    expect(() => parseSignupConfig(input as never)).toThrow(message);
  });

  it('the module factory refuses it too, at config time', () => {
    expect(() => signup({ activities: [reading({ capacity: -1 })] })).toThrow('signup: activities[0].capacity must be at least 1');
  });

  it('reads a good config with its defaults', () => {
    const config = parseSignupConfig({ activities: [reading({ deadline: '2h', fields: ['姓名', 'phone', '职位'] })], now: () => T0 });
    const [activity] = config.activities;
    expect(activity).toMatchObject({
      id: 'reading',
      capacity: 3,
      startsAt: at('2030-06-03T14:00:00+08:00'),
      deadlineAt: at('2030-06-03T12:00:00+08:00'),
      cancelBy: at('2030-06-02T14:00:00+08:00'),
    });
    expect(activity?.fields.map((f) => [f.key, f.label, f.kind, f.required])).toEqual([
      ['name', '姓名', 'text', true],
      ['phone', '手机', 'phone', true],
      ['f3', '职位', 'text', false],
    ]);
    expect(config.reminders).toEqual([24 * 3_600_000, 3_600_000]);
    expect(config.sweep).toEqual({ name: 'signup-sweep', schedule: '0 */2 * * * *' });
    expect(config.maxParty).toBe(5);
  });
});

describe('times and durations', () => {
  const now = at('2030-06-01T10:00:00+08:00');
  it.each([
    ['2030-06-07 14:00', '2030-06-07T14:00:00+08:00'],
    ['2030/6/7 14:00', '2030-06-07T14:00:00+08:00'],
    ['2030年6月7日 14:00', '2030-06-07T14:00:00+08:00'],
    ['6月7日 14:00', '2030-06-07T14:00:00+08:00'],
    ['6月7日14:00', '2030-06-07T14:00:00+08:00'],
    ['6-7 9:30', '2030-06-07T09:30:00+08:00'],
    ['明天 19:30', '2030-06-02T19:30:00+08:00'],
    ['后天 下午', undefined],
    ['6月8日 2点半', '2030-06-08T02:30:00+08:00'],
    ['1月5日 10:00', '2031-01-05T10:00:00+08:00'],
    ['2030-06-07T06:00:00Z', '2030-06-07T06:00:00Z'],
    ['6月31日 10:00', undefined],
    ['25:00', undefined],
  ])('%s', (text, iso) => {
    expect(parseTime(text, { timeZone: TZ, now })).toBe(iso === undefined ? undefined : at(iso));
  });

  it('reads durations in both languages', () => {
    expect([
      parseDuration('2h'),
      parseDuration('开始前 2小时'),
      parseDuration('30分钟'),
      parseDuration('1天'),
      parseDuration('1.5h'),
      parseDuration('soon'),
    ]).toEqual([7_200_000, 7_200_000, 1_800_000, 86_400_000, 5_400_000, undefined]);
  });

  it('writes times in the zone, with the weekday, the year only when it is not this one', () => {
    expect(formatTime(at('2030-06-07T14:00:00+08:00'), TZ, now)).toBe('6月7日 周五 14:00');
    expect(formatTime(at('2031-01-05T10:00:00+08:00'), TZ, now)).toBe('2031年1月5日 周日 10:00');
    expect(formatTime(at('2030-06-07T14:00:00+08:00'), 'UTC', now)).toBe('6月7日 周五 06:00');
  });
});

describe('the staff creation syntax', () => {
  const options = { timezone: TZ, now: at('2030-06-01T10:00:00+08:00'), chatId: 'wr1', offerMs: 7_200_000 };
  it('reads lines, `；`-separated pairs, and pairs on one line', () => {
    const lines = parseActivityCommand(
      '周六读书会\n时间：6月8日 14:00\n名额：30人\n截止：开始前 2小时\n取消：6月7日 20:00\n字段：姓名，手机，公司',
      options,
    );
    expect(lines).toEqual({
      ok: true,
      activity: expect.objectContaining({
        title: '周六读书会',
        chatId: 'wr1',
        capacity: 30,
        startsAt: at('2030-06-08T14:00:00+08:00'),
        deadlineAt: at('2030-06-08T12:00:00+08:00'),
        cancelBy: at('2030-06-07T20:00:00+08:00'),
      }),
    });
    if (lines.ok) expect(lines.activity.fields.map((f) => f.key)).toEqual(['name', 'phone', 'company']);
    expect(parseActivityCommand('读书会；时间=明天 19:30；名额=20', options)).toMatchObject({
      ok: true,
      activity: { title: '读书会', capacity: 20 },
    });
    expect(parseActivityCommand('读书会 时间：明天 19:30 名额：20 取消截止：1h', options)).toMatchObject({
      ok: true,
      activity: { title: '读书会', cancelBy: at('2030-06-02T18:30:00+08:00') },
    });
  });

  it.each([
    ['时间：明天 19:30\n名额：20', '缺少活动标题'],
    ['读书会\n名额：20', '缺少「时间」'],
    ['读书会\n时间：明天 19:30', '缺少「名额」'],
    ['读书会\n时间：下周\n名额：20', '时间「下周」看不懂'],
    ['读书会\n时间：2030-05-01 10:00\n名额：20', '活动时间已经过去了'],
    ['读书会\n时间：明天 19:30\n名额：二十', '名额必须是 1 到 10000 之间的整数'],
    ['读书会\n时间：明天 19:30\n名额：20\n截止：后天 10:00', '报名截止时间晚于活动开始时间'],
    ['读书会\n时间：明天 19:30\n名额：20\n字段：a，b，c，d，e，f', '最多 5 个字段'],
    ['读书会\n时间：明天 19:30\n名额：20\n地点：会议室', '看不懂「地点：会议室」'],
  ])('%s → %s', (text, problem) => {
    const parsed = parseActivityCommand(text, options);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });
});

describe('answers, masks, and 报名 arguments', () => {
  const [name, phone, email] = resolveFields(['name', 'phone', 'email']);
  it('checks and normalises answers', () => {
    expect(checkAnswer(phone!, '+86 138-1234-5678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkAnswer(phone!, '12345')).toMatchObject({ ok: false });
    expect(checkAnswer(phone!, '跳过')).toEqual({ ok: false, problem: '手机是必填项' });
    expect(checkAnswer(email!, '跳过')).toEqual({ ok: true, value: '' });
    expect(checkAnswer(email!, 'a@b')).toMatchObject({ ok: false });
    expect(checkAnswer(name!, '张'.repeat(61))).toMatchObject({ ok: false });
  });

  it('masks names to the first character and phones to 3 + 4 digits', () => {
    expect([maskName('张三丰'), maskName('张三'), maskName('Alice'), maskName('')]).toEqual(['张**', '张**', 'A**', '**']);
    expect([maskPhone('13812345678'), maskPhone('12345'), maskPhone('')]).toEqual(['138****5678', '****45', '****']);
  });

  it('reads 报名 arguments in any order', () => {
    expect(parseJoinArgs('')).toEqual({ code: undefined, party: 1 });
    expect(parseJoinArgs('2人')).toEqual({ code: undefined, party: 2 });
    expect(parseJoinArgs('A3 3 位')).toEqual({ code: 'A3', party: 3 });
    expect(parseJoinArgs('2人 reading')).toEqual({ code: 'reading', party: 2 });
    expect(parseJoinArgs('A1')).toEqual({ code: 'A1', party: 1 });
  });
});
