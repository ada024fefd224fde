/**
 * The `campaigns` bot's options: the campaigns (a schedule, a segment → offer rule table, vars),
 * and the guardrails every campaign shares — the frequency cap, the opt-out words, quiet hours.
 */
import type { CorpClient } from '../../corp/client.js';
import { parseTime } from '../signup/time.js';
import { isTimeZone } from '../shared/time-zone.js';
import { OptionReader, optionKeys } from '../shared/options.js';
import { parseClock, type QuietHours } from './quiet.js';
import { parseSegment, SegmentError, type Segment } from './segment.js';
import { unknownPlaceholders } from './template.js';
import { BotOptionsError } from '../shared/options.js';

export interface CampaignRuleInput {
  /** Tags joined by and / or / not, with parentheses: `VIP and 上海 and not 已购`. */
  segment: string;
  /** The offer: markdown with placeholders `{name}`, `{userid}`, `{campaign}` and the campaign's vars. */
  offer: string;
}

export interface CampaignInput {
  /** Letters, digits, `-` and `_`: `spring-sale`. Names the job (`campaign-spring-sale`) and the CLI argument. */
  name: string;
  /** Cron (5, 6 or 7 fields) in the bots' time zone; or `at` for one run. */
  schedule?: string;
  /** One run: `2030-06-01 10:00` (the bots' zone) or ISO 8601 with an offset. */
  at?: string;
  /** First matching rule wins: each recipient gets at most one offer per run. */
  rules: CampaignRuleInput[];
  vars?: Record<string, string>;
  /**
   * `auto` (default): a customer (external userid) with a known follow-up staff member through
   * add_msg_template when the corp API is configured, everyone else in the group they were last
   * seen in; `group`: groups only; `corp`: add_msg_template only.
   */
  channel?: 'auto' | 'group' | 'corp';
}

export interface CampaignsConfigInput {
  campaigns: CampaignInput[];
  /** IANA zone of schedules, `at` and quiet hours; default Asia/Shanghai. */
  timezone?: string;
  /** Across all campaigns: at most this many offers per customer in any 24 h / 7 days. Default 1 and 3. */
  caps?: { perDay?: number; perWeek?: number };
  /** Default `{ from: '21:00', to: '09:00' }`; `false` for none. */
  quietHours?: { from: string; to: string } | false;
  /** Words that opt a member out when said to the bot; default `['退订', 'TD']`. */
  optOutWords?: string[];
  /**
   * In groups: `mention` (default) @-mentions the member in the group with `<@userid>`;
   * `visible` sends with visible_to_user, only the member sees it (beta on push, UNCONFIRMED for
   * ordinary companies: protocol notes §1.9), falling back to nothing else — choose it knowingly.
   */
  groupDelivery?: 'mention' | 'visible';
  /** The corp client for add_msg_template; default from WECOM_CORP_ID / WECOM_CORP_SECRET; false for none. */
  corp?: CorpClient | false;
  /** The webhook client's per-robot limit; default WeCom's 20 per 60 s (benchmarks compress time with it). */
  rateLimit?: { limit: number; windowMs: number };
  /** Outbox tuning (lease after a crash, poll interval); the client's defaults otherwise. */
  outbox?: { leaseMs?: number; pollMs?: number; retryDelayMs?: number };
  /** The job that resumes interrupted runs, starts runs held by quiet hours and settles statuses; default every minute. */
  sweep?: { name?: string; schedule?: string };
}

export interface CampaignRule {
  segment: Segment;
  source: string;
  offer: string;
}

export interface Campaign {
  name: string;
  schedule: string;
  /** The epoch ms of a one-off campaign. */
  at: number | undefined;
  rules: CampaignRule[];
  vars: Record<string, string>;
  channel: 'auto' | 'group' | 'corp';
}

export interface CampaignsConfig {
  campaigns: Campaign[];
  timezone: string;
  caps: { perDay: number; perWeek: number };
  quiet: QuietHours | undefined;
  optOutWords: string[];
  groupDelivery: 'mention' | 'visible';
  corp: CorpClient | false | undefined;
  rateLimit: { limit: number; windowMs: number } | undefined;
  outbox: { leaseMs?: number; pollMs?: number; retryDelayMs?: number };
  sweep: { name: string; schedule: string };
}

const BOT = 'campaigns';
const OPTIONS = optionKeys<CampaignsConfigInput>({
  campaigns: true,
  timezone: true,
  caps: true,
  quietHours: true,
  optOutWords: true,
  groupDelivery: true,
  corp: true,
  rateLimit: true,
  outbox: true,
  sweep: true,
});
const CAMPAIGN = optionKeys<CampaignInput>({ name: true, schedule: true, at: true, rules: true, vars: true, channel: true });
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,50}$/;

/** A one-off time as a 7-field cron (second minute hour day month week year) in `timezone`. */
function cronAt(at: number, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return `${get('second')} ${get('minute')} ${get('hour')} ${get('day')} ${get('month')} * ${get('year')}`;
}

export function parseCampaignsConfig(input: CampaignsConfigInput): CampaignsConfig {
  const r = OptionReader.root(BOT, input, OPTIONS);
  const timezone = r.string('timezone', { default: 'Asia/Shanghai' }) as string;
  if (!isTimeZone(timezone)) r.fail('timezone', `"${timezone}" is not an IANA time zone`);
  const caps = r.object('caps', ['perDay', 'perWeek']);
  const perDay = caps?.number('perDay', { default: 1, min: 0, max: 1000, integer: true }) ?? 1;
  const perWeek = caps?.number('perWeek', { default: 3, min: 0, max: 10000, integer: true }) ?? 3;
  let quiet: QuietHours | undefined;
  const q = r.raw('quietHours');
  if (q !== false) {
    const qo = r.object('quietHours', ['from', 'to']);
    const from = parseClock(qo?.string('from') ?? '21:00');
    const to = parseClock(qo?.string('to') ?? '09:00');
    if (from === undefined) r.fail('quietHours.from', 'must be HH:MM');
    if (to === undefined) r.fail('quietHours.to', 'must be HH:MM');
    quiet = { from: from as number, to: to as number, timezone };
  }
  const words = r.has('optOutWords') ? r.strings('optOutWords') : ['退订', 'TD'];
  const list = r.raw('campaigns') as unknown[];
  if (!Array.isArray(list) || list.length === 0) r.fail('campaigns', 'must be a non-empty array of campaigns');
  const names = new Set<string>();
  const campaigns = list.map((raw, i): Campaign => {
    const at = `campaigns[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) r.fail(at, 'must be an object');
    const c = new OptionReader(BOT, raw as Record<string, unknown>, at).only(CAMPAIGN);
    const name = c.requiredString('name', { pattern: [NAME, 'must be letters, digits, - and _ (at most 51)'] });
    if (names.has(name)) c.fail('name', `"${name}" is used by two campaigns`);
    names.add(name);
    const schedule = c.string('schedule');
    const atText = c.string('at');
    if (!schedule === !atText) c.fail('schedule', 'or at is required (exactly one)');
    let atMs: number | undefined;
    if (atText) {
      atMs = parseTime(atText, { timeZone: timezone, now: Date.now() });
      if (atMs === undefined) c.fail('at', `"${atText}" is not a time (2030-06-01 10:00, or ISO 8601)`);
    }
    const vars = c.stringRecord('vars') ?? {};
    const rulesRaw = c.raw('rules') as unknown[];
    if (!Array.isArray(rulesRaw) || rulesRaw.length === 0) c.fail('rules', 'must be a non-empty array of { segment, offer }');
    const rules = rulesRaw.map((rr, j): CampaignRule => {
      const rk = `rules[${j}]`;
      if (typeof rr !== 'object' || rr === null) c.fail(rk, 'must be an object');
      const rule = new OptionReader(BOT, rr as Record<string, unknown>, c.name(rk)).only(['segment', 'offer']);
      const source = rule.requiredString('segment');
      let segment: Segment;
      try {
        segment = parseSegment(source);
      } catch (err) {
        if (err instanceof SegmentError) throw new BotOptionsError(BOT, rule.name('segment'), `does not parse: ${err.message}`);
        throw err;
      }
      const offer = rule.requiredString('offer');
      const unknown = unknownPlaceholders(offer, vars);
      if (unknown.length) rule.fail('offer', `uses {${unknown.join('}, {')}}, which is neither {name}, {userid}, {campaign} nor in vars`);
      return { segment, source, offer };
    });
    return {
      name,
      schedule: schedule ?? cronAt(atMs as number, timezone),
      at: atMs,
      rules,
      vars,
      channel: c.oneOf('channel', ['auto', 'group', 'corp'] as const, 'auto') as Campaign['channel'],
    };
  });
  const corp = r.raw('corp');
  if (corp !== undefined && corp !== false && (typeof corp !== 'object' || corp === null || !('massMessages' in corp)))
    r.fail('corp', 'must be a corp client (createCorpClient) or false');
  const rl = r.object('rateLimit', ['limit', 'windowMs']);
  const ob = r.object('outbox', ['leaseMs', 'pollMs', 'retryDelayMs']);
  const sweep = r.object('sweep', ['name', 'schedule']);
  return {
    campaigns,
    timezone,
    caps: { perDay, perWeek },
    quiet,
    optOutWords: words.map((w) => w.trim()),
    groupDelivery: r.oneOf('groupDelivery', ['mention', 'visible'] as const, 'mention') as 'mention' | 'visible',
    corp: corp as CorpClient | false | undefined,
    rateLimit: rl
      ? {
          limit: rl.number('limit', { min: 1, integer: true }) ?? rl.fail('limit', 'is required'),
          windowMs: rl.number('windowMs', { min: 1, integer: true }) ?? rl.fail('windowMs', 'is required'),
        }
      : undefined,
    outbox: {
      ...(ob?.has('leaseMs') ? { leaseMs: ob.number('leaseMs', { min: 100 }) } : {}),
      ...(ob?.has('pollMs') ? { pollMs: ob.number('pollMs', { min: 10 }) } : {}),
      ...(ob?.has('retryDelayMs') ? { retryDelayMs: ob.number('retryDelayMs', { min: 10 }) } : {}),
    },
    sweep: { name: sweep?.string('name') ?? 'campaigns-sweep', schedule: sweep?.string('schedule') ?? '0 * * * * *' },
  };
}
