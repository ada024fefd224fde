/** The welcome options: defaults, and each bad field refused with its name. */
import { describe, expect, it } from 'vitest';
import { parseWelcomeConfig, type WelcomeConfigInput } from '../../../src/bots/welcome/config.js';
import { welcome } from '../../../src/bots/welcome/module.js';

const refusal = (input: unknown) => {
  try {
    parseWelcomeConfig(input as WelcomeConfigInput);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('welcome options', () => {
  it('defaults: every trigger, private-first fallbacks, pushes without visible_to_user, 30 days of suppression', () => {
    const c = parseWelcomeConfig({ coupons: {} });
    expect([...c.triggers]).toEqual(['customer-add', 'group-join', 'enter-chat', 'first-message']);
    expect(c.privacy).toEqual({ pushVisibleTo: false, fallback: ['private', 'mention'] });
    expect(c.suppressForMs).toBe(30 * 86_400_000);
    expect(c.fallback.source).toBe('欢迎 {name}！\n你的新人券：{coupon}');
    expect(c.coupons).toMatchObject({ pool: 'default', alertAt: [20, 0], command: '我的券', source: undefined });
    expect(parseWelcomeConfig().fallback.source).toBe('欢迎 {name}！');
  });

  it.each([
    [{ text: '欢迎 {nmae}' }, 'welcome: text has an unknown placeholder {nmae} (use {name} or {coupon})'],
    [{ text: '券 {coupon}' }, 'welcome: text uses {coupon}, but the welcome bot has no coupons option'],
    [{ coupons: {}, text: '{coupon} {coupon}' }, 'welcome: text has {coupon} more than once (each member gets one code)'],
    [
      { templates: [{ text: 'x', weekday: 'funday' }] },
      'welcome: templates[0].weekday "funday" is not a weekday (use mon…sun, 周一…周日 or 1…7)',
    ],
    [{ templates: [{ text: 'x', weekdays: ['sat'] }] }, 'welcome: templates[0].weekdays is not an option (did you mean "weekday"?)'],
    [
      { templates: [{ text: 'x' }, { text: 'y', trigger: ['group-join', 'join'] }] },
      'welcome: templates[1].trigger[1] must be one of "customer-add", "group-join", "enter-chat", "first-message"',
    ],
    [{ templates: [{ text: 'x', holiday: true }] }, 'welcome: holidays is empty, but a template asks for holiday: true'],
    [{ holidays: ['2025-02-30'] }, 'welcome: holidays[0] "2025-02-30" is not a date or a range (use 2025-10-01 or 2025-10-01..2025-10-07)'],
    [{ holidays: ['2025-10-07..2025-10-01'] }, 'welcome: holidays[0] "2025-10-07..2025-10-01" ends before it starts'],
    [{ timezone: 'Mars/Olympus' }, 'welcome: timezone "Mars/Olympus" is not an IANA time zone'],
    [{ suppressFor: 'forever' }, 'welcome: suppressFor "forever" is not a duration (use 30d, 12h or 90m)'],
    [{ suppressFor: '10s' }, 'welcome: suppressFor must be at least 1m (a welcome per message would flood the group)'],
    [
      { triggers: ['customer-add', 'join'] },
      'welcome: triggers[1] must be one of "customer-add", "group-join", "enter-chat", "first-message"',
    ],
    [{ privacy: { fallback: ['dm'] } }, 'welcome: privacy.fallback[0] must be "private" or "mention"'],
    [
      { groups: { wrA: { webhook: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' } } },
      'welcome: groups.wrA.webhook has no key= parameter (copy the whole webhook URL of the group robot)',
    ],
    [{ groups: { wrA: { webhook: 'not a url' } } }, 'welcome: groups.wrA.webhook must be an http(s) URL (got "not a url")'],
    [{ enterChat: { card: { title: '欢迎' } } }, 'welcome: enterChat.card.url is required'],
    [{ coupons: { pool: 'a b' } }, 'welcome: coupons.pool must be 1–64 letters, digits, - or _'],
    [
      { coupons: { file: 'a.csv', pattern: 'N-{XXXXXX}', count: 5 } },
      'welcome: coupons.pattern and file are both set: a pool comes from one of them',
    ],
    [{ coupons: { pattern: 'NEW-{XXXXXX}' } }, 'welcome: coupons.count is required with pattern (how many codes to generate)'],
    [
      { coupons: { pattern: 'NEW-{XQ}', count: 5 } },
      'welcome: coupons.pattern has "Q" inside {…}; use X (letter or digit), A (letter) or 9 (digit)',
    ],
    [
      { coupons: { pattern: 'NEW-{99}', count: 5 } },
      'welcome: coupons.pattern makes only 100 different codes; 5 codes need at least 10000 (add random positions)',
    ],
    [
      { coupons: { pattern: 'NEW 1-{XXXXXX}', count: 5 } },
      'welcome: coupons.pattern makes invalid codes: each code has a space (codes are letters, digits, . _ -, starting with a letter or digit)',
    ],
    [{ coupons: { count: 5 } }, 'welcome: coupons.count needs pattern (a file brings its own codes)'],
    [{ coupons: { alertAt: [20, -1] } }, 'welcome: coupons.alertAt[1] must be a whole number, 0 or more'],
    [{ coupons: { emptyText: '没有 {coupon}' } }, 'welcome: coupons.emptyText cannot contain {coupon}: it is shown when there is no code'],
    [{ coupons: { claimTimeoutMs: 50 } }, 'welcome: coupons.claimTimeoutMs must be at least 100'],
  ])('refuses %j', (input, message) => {
    expect(refusal(input)).toBe(message);
  });

  it('refuses an over-long template, naming the rule', () => {
    expect(refusal({ templates: [{ text: '欢'.repeat(700) }] })).toBe(
      "welcome: templates[0].text is 2100 bytes; at most 1800 fit a group robot's text message with a name and a code",
    );
  });

  it('the module factory refuses bad options when the config is read', () => {
    expect(() => welcome({ text: '{who}' })).toThrow('welcome: text has an unknown placeholder {who}');
    expect(welcome({ coupons: { file: './codes.csv' } }).assets).toEqual(['./codes.csv']);
  });
});
