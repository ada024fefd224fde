/** Templates: the first matching rule by group, channel, weekday, holiday and trigger; placeholders and the coupon line. */
import { describe, expect, it } from 'vitest';
import { localDay } from '../../../src/bots/welcome/calendar.js';
import { parseWelcomeConfig } from '../../../src/bots/welcome/config.js';
import { pickTemplate, type WelcomeSituation } from '../../../src/bots/welcome/rules.js';
import { renderTemplate } from '../../../src/bots/welcome/template.js';

const config = parseWelcomeConfig({
  coupons: {},
  text: '欢迎 {name}！\n你的新人券：{coupon}',
  holidays: ['2025-10-01..2025-10-07', '2026-01-01'],
  templates: [
    { holiday: true, text: '节日快乐 {name}！{coupon}' },
    { channel: ['spring-poster', 'spring-h5'], text: '春季渠道 {name}' },
    { group: 'wrVIP', text: 'VIP 群欢迎 {name}' },
    { weekday: ['sat', '周日'], trigger: 'first-message', text: '周末好 {name}' },
  ],
});
const choice = { rules: config.rules, fallback: config.fallback, holidays: config.holidays, timezone: config.timezone };
// 2025-09-24 is a Wednesday; 2025-09-27 a Saturday (Asia/Shanghai).
const at = (local: string) => Date.parse(`${local}+08:00`);
const pick = (s: Partial<WelcomeSituation>) =>
  pickTemplate(choice, { trigger: 'customer-add', chatIds: [], at: at('2025-09-24T10:00:00'), ...s }).source;

describe('welcome templates', () => {
  it('picks by channel (the contact-way State), by group (corp or robot chat id), else the default', () => {
    expect(pick({ channel: 'spring-h5' })).toBe('春季渠道 {name}');
    expect(pick({ trigger: 'group-join', chatIds: ['wrCorpX', 'wrVIP'] })).toBe('VIP 群欢迎 {name}');
    expect(pick({ channel: 'autumn' })).toBe('欢迎 {name}！\n你的新人券：{coupon}');
  });

  it('picks by weekday in the configured time zone, and only for the rule’s trigger', () => {
    expect(pick({ trigger: 'first-message', at: at('2025-09-27T09:00:00') })).toBe('周末好 {name}');
    expect(pick({ trigger: 'customer-add', at: at('2025-09-27T09:00:00') })).toBe('欢迎 {name}！\n你的新人券：{coupon}');
    // Friday 23:30 UTC is already Saturday in Shanghai.
    expect(localDay(Date.parse('2025-09-26T23:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2025-09-27', weekday: 6 });
    expect(pick({ trigger: 'first-message', at: Date.parse('2025-09-26T15:30:00Z') })).toBe('欢迎 {name}！\n你的新人券：{coupon}');
  });

  it('a holiday from the list (ranges included) wins as the first rule, over channel and group', () => {
    expect(pick({ channel: 'spring-poster', at: at('2025-10-03T12:00:00') })).toBe('节日快乐 {name}！{coupon}');
    expect(pick({ chatIds: ['wrVIP'], at: at('2026-01-01T00:10:00') })).toBe('节日快乐 {name}！{coupon}');
    expect(pick({ chatIds: ['wrVIP'], at: at('2025-10-08T00:10:00') })).toBe('VIP 群欢迎 {name}');
  });

  it('renders the name and the code; without a code the whole coupon line becomes the note', () => {
    const t = config.fallback;
    expect(renderTemplate(t, { name: '小王', coupon: { code: 'NEW-8K2P' } })).toBe('欢迎 小王！\n你的新人券：NEW-8K2P');
    expect(renderTemplate(t, { name: '小王', coupon: { note: '新人券已全部领完' } })).toBe('欢迎 小王！\n新人券已全部领完');
    expect(renderTemplate(t, { name: '小王', coupon: { note: '' } })).toBe('欢迎 小王！');
    // A name is text: braces in it are not placeholders.
    expect(renderTemplate(t, { name: '{coupon}', coupon: { code: 'NEW-1' } })).toBe('欢迎 {coupon}！\n你的新人券：NEW-1');
  });
});
