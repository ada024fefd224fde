/**
 * The `welcome` bot's options: validated once, when the config is read; every error names
 * the field (`welcome: templates[2].text has an unknown placeholder {nmae} (use {name} or
 * {coupon})`). Coupon pools (files, patterns) are checked when the bot starts (coupons/sync.ts),
 * since reading them is I/O.
 */
import { OptionReader, optionKeys } from '../shared/options.js';
import { holidayDates, isTimeZone, parseWeekday, type IsoWeekday } from './calendar.js';
import { parseCouponConfig, type CouponConfig, type CouponConfigInput } from './coupon-config.js';
import { parseDuration } from './duration.js';
import { WELCOME_TRIGGERS, type TemplateRule, type WelcomeTrigger } from './rules.js';
import { compileTemplate, type Template } from './template.js';

/** A template rule as written: the first rule whose conditions all hold is used. */
export interface TemplateRuleInput {
  text: string;
  /** Customer-group ids (corp `ChatId`) or robot chat ids. */
  group?: string | string[];
  /** The `State` of the contact-way QR code (「联系我」) the customer scanned. */
  channel?: string | string[];
  /** `mon`…`sun`, `周一`…`周日` or 1…7. */
  weekday?: string | number | (string | number)[];
  /** true: on the dates of `holidays`; false: on other days. */
  holiday?: boolean;
  trigger?: WelcomeTrigger | WelcomeTrigger[];
}

/** The robot that speaks in a customer group, for `group-join` welcomes. */
export interface GroupRobotInput {
  /** The group robot's webhook URL (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`). */
  webhook: string;
  /**
   * The robot's chat id of that group (the `ChatId` its callbacks carry). Needed for
   * `visible_to_user` pushes; whether it equals the corp `ChatId` is unconfirmed, so it is
   * configured rather than assumed.
   */
  chatId?: string;
}

/** The `welcome` bot's options, as written in wecombot.config. */
export interface WelcomeConfigInput {
  /** What welcomes (default all four): `customer-add`, `group-join`, `enter-chat`, `first-message`. */
  triggers?: WelcomeTrigger[];
  /** The default template; `{name}` and `{coupon}` are filled in. */
  text?: string;
  /** Templates by group, channel, weekday, holiday or trigger: the first match wins, else `text`. */
  templates?: TemplateRuleInput[];
  /** Holiday dates for `holiday: true` rules: `2025-10-01` or ranges `2025-10-01..2025-10-07`. */
  holidays?: string[];
  /** IANA time zone of weekdays and holidays (default Asia/Shanghai). */
  timezone?: string;
  /** Customer groups (corp `ChatId`) → the robot that welcomes there on `group-join`. */
  groups?: Record<string, GroupRobotInput>;
  privacy?: {
    /**
     * The robot webhook honours `visible_to_user` on pushes. It is a beta interface, unconfirmed
     * for ordinary companies, so the default is false: group pushes then use the fallback.
     */
    pushVisibleTo?: boolean;
    /**
     * What to do when a group welcome cannot be private, tried in order: `private` (a private
     * send_welcome_msg, when a WelcomeCode of that customer is at hand), `mention` (a public
     * welcome @-mentioning the member; the coupon code is never shown in it). Default both;
     * `[]` skips such welcomes. Every fallback is logged.
     */
    fallback?: ('private' | 'mention')[];
  };
  /** No second welcome for the same customer in the same group within this time (default 30d). */
  suppressFor?: string;
  /** The AI bot's `enter_chat` welcome as a card (text_notice) instead of text. */
  enterChat?: { card?: { title: string; url: string } };
  coupons?: CouponConfigInput;
  /** Name of members whose name is unknown (default 新朋友). */
  memberName?: string;
  /** Look up names through the corp API (customer details, group members); default true. */
  lookupNames?: boolean;
  /** Epoch ms "now" (tests, the emulator); default the bot's clock. */
  now?: () => number;
}

/** Where a customer group's welcomes go. */
export interface GroupRobot {
  webhook: string;
  chatId: string | undefined;
}

export interface WelcomeConfig {
  triggers: ReadonlySet<WelcomeTrigger>;
  fallback: Template;
  rules: TemplateRule[];
  holidays: ReadonlySet<string>;
  timezone: string;
  /** By corp `ChatId`. */
  groups: ReadonlyMap<string, GroupRobot>;
  privacy: { pushVisibleTo: boolean; fallback: readonly ('private' | 'mention')[] };
  suppressForMs: number;
  enterChatCard: { title: string; url: string } | undefined;
  coupons: CouponConfig | undefined;
  memberName: string;
  lookupNames: boolean;
  /** From the options; without it the bot's clock is used. */
  now: (() => number) | undefined;
}

const DAY = 86_400_000;

function list<T>(r: OptionReader, key: string, each: (value: unknown, field: string) => T): T[] | undefined {
  const raw = r.raw(key);
  if (raw === undefined) return undefined;
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) r.fail(key, 'is empty (leave it out to match every value)');
  return items.map((v, i) => each(v, Array.isArray(raw) ? `${key}[${i}]` : key));
}

function template(r: OptionReader, key: string, text: string, coupons: boolean): Template {
  const compiled = compileTemplate(text, { coupons });
  if (typeof compiled === 'string') r.fail(key, compiled);
  return compiled;
}

const RULE_FIELDS = optionKeys<TemplateRuleInput>({ text: true, group: true, channel: true, weekday: true, holiday: true, trigger: true });
const OPTIONS = optionKeys<WelcomeConfigInput>({
  triggers: true,
  text: true,
  templates: true,
  holidays: true,
  timezone: true,
  groups: true,
  privacy: true,
  suppressFor: true,
  enterChat: true,
  coupons: true,
  memberName: true,
  lookupNames: true,
  now: true,
});
const COUPONS = optionKeys<CouponConfigInput>({
  pool: true,
  file: true,
  pattern: true,
  count: true,
  alertAt: true,
  alertWebhook: true,
  command: true,
  claimTimeoutMs: true,
  emptyText: true,
  unavailableText: true,
  withheldText: true,
});

function rule(item: { r: OptionReader; keys: string[] }, coupons: boolean): TemplateRule {
  // Annotated, so that r.fail (never) narrows the values checked before it.
  const r: OptionReader = item.r;
  // A misspelt condition (`weekdays`) would otherwise match every day, silently.
  r.only(RULE_FIELDS);
  const text = r.requiredString('text');
  const strings = (key: string) =>
    list(r, key, (v, field) => {
      if (typeof v !== 'string' || v.trim() === '') r.fail(field, 'must be a non-empty string');
      return v;
    });
  const weekdays = list(
    r,
    'weekday',
    (v, field) => parseWeekday(v) ?? r.fail(field, `"${String(v)}" is not a weekday (use mon…sun, 周一…周日 or 1…7)`),
  );
  const triggers = list(r, 'trigger', (v, field) => {
    if (!(WELCOME_TRIGGERS as readonly unknown[]).includes(v))
      r.fail(field, `must be one of ${WELCOME_TRIGGERS.map((t) => `"${t}"`).join(', ')}`);
    return v as WelcomeTrigger;
  });
  const holiday = r.raw('holiday');
  if (holiday !== undefined && typeof holiday !== 'boolean') r.fail('holiday', 'must be true or false');
  const groups = strings('group');
  const channels = strings('channel');
  return {
    template: template(r, 'text', text, coupons),
    ...(groups && { groups: new Set(groups) }),
    ...(channels && { channels: new Set(channels) }),
    ...(weekdays && { weekdays: new Set<IsoWeekday>(weekdays) }),
    ...(holiday !== undefined && { holiday }),
    ...(triggers && { triggers: new Set(triggers) }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objects(r: OptionReader, key: string): { r: OptionReader; keys: string[] }[] {
  const raw = r.raw(key);
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) r.fail(key, 'must be an array');
  return raw.map((item: unknown, i) => {
    if (!isObject(item)) r.fail(`${key}[${i}]`, 'must be an object');
    return { r: new OptionReader('welcome', item, r.name(`${key}[${i}]`)), keys: Object.keys(item) };
  });
}

function groupRobots(r: OptionReader): Map<string, GroupRobot> {
  const groups = new Map<string, GroupRobot>();
  const raw = r.object('groups');
  const input = r.raw('groups');
  if (!raw || !isObject(input)) return groups;
  for (const chatId of Object.keys(input)) {
    const g = raw.object(chatId, optionKeys<GroupRobotInput>({ webhook: true, chatId: true })) ?? raw.fail(chatId, 'must be an object');
    const webhook = g.requiredString('webhook', { url: true });
    if (!/[?&]key=[^&\s]+/.test(webhook)) g.fail('webhook', 'has no key= parameter (copy the whole webhook URL of the group robot)');
    groups.set(chatId, { webhook, chatId: g.string('chatId') });
  }
  return groups;
}

/**
 * Validates the options once, at start-up; errors name the field.
 *
 * @example
 * parseWelcomeConfig({ text: '欢迎 {nmae}' })
 * // throws BotOptionsError "welcome: text has an unknown placeholder {nmae} (use {name} or {coupon})"
 */
export function parseWelcomeConfig(input: WelcomeConfigInput = {}): WelcomeConfig {
  const r: OptionReader = OptionReader.root('welcome', input, OPTIONS);
  const coupons = r.has('coupons') ? parseCouponConfig(r.object('coupons', COUPONS)!) : undefined;
  const triggers = r.has('triggers')
    ? r
        .strings('triggers')
        .map((t, i) =>
          (WELCOME_TRIGGERS as readonly string[]).includes(t)
            ? (t as WelcomeTrigger)
            : r.fail(`triggers[${i}]`, `must be one of ${WELCOME_TRIGGERS.map((x) => `"${x}"`).join(', ')}`),
        )
    : [...WELCOME_TRIGGERS];

  const timezone = r.string('timezone', { default: 'Asia/Shanghai' })!;
  if (!isTimeZone(timezone)) r.fail('timezone', `"${timezone}" is not an IANA time zone`);
  const holidays = new Set<string>();
  r.strings('holidays').forEach((text, i) => {
    const dates = holidayDates(text);
    if (!Array.isArray(dates)) r.fail(`holidays[${i}]`, dates.reason);
    for (const d of dates) holidays.add(d);
  });

  const defaultText = coupons ? '欢迎 {name}！\n你的新人券：{coupon}' : '欢迎 {name}！';
  const fallback = template(r, 'text', r.string('text') ?? defaultText, coupons !== undefined);
  const rules = objects(r, 'templates').map((t) => rule(t, coupons !== undefined));
  if (rules.some((x) => x.holiday === true) && holidays.size === 0) r.fail('holidays', 'is empty, but a template asks for holiday: true');

  const privacy = r.object('privacy', ['pushVisibleTo', 'fallback']);
  const fallbackList = privacy?.has('fallback')
    ? privacy
        .strings('fallback')
        .map((f, i) => (f === 'private' || f === 'mention' ? f : privacy.fail(`fallback[${i}]`, 'must be "private" or "mention"')))
    : (['private', 'mention'] as const);
  const pushVisibleTo = privacy?.raw('pushVisibleTo');
  if (pushVisibleTo !== undefined && typeof pushVisibleTo !== 'boolean') privacy!.fail('pushVisibleTo', 'must be true or false');

  const suppressText = r.string('suppressFor', { default: '30d' })!;
  const suppressForMs = parseDuration(suppressText) ?? r.fail('suppressFor', `"${suppressText}" is not a duration (use 30d, 12h or 90m)`);
  if (suppressForMs < 60_000) r.fail('suppressFor', 'must be at least 1m (a welcome per message would flood the group)');
  if (suppressForMs > 3650 * DAY) r.fail('suppressFor', 'must be at most 3650d');

  const card = r.object('enterChat', ['card'])?.object('card', ['title', 'url']);
  const nowOption = r.raw('now');
  if (nowOption !== undefined && typeof nowOption !== 'function') r.fail('now', 'must be a function returning epoch ms');
  const lookupNames = r.raw('lookupNames');
  if (lookupNames !== undefined && typeof lookupNames !== 'boolean') r.fail('lookupNames', 'must be true or false');

  return {
    triggers: new Set(triggers),
    fallback,
    rules,
    holidays,
    timezone,
    groups: groupRobots(r),
    privacy: { pushVisibleTo: pushVisibleTo === true, fallback: [...new Set(fallbackList)] },
    suppressForMs,
    enterChatCard: card ? { title: card.requiredString('title'), url: card.requiredString('url', { url: true }) } : undefined,
    coupons,
    memberName: r.string('memberName', { default: '新朋友' })!,
    lookupNames: lookupNames !== false,
    now: nowOption as (() => number) | undefined,
  };
}
