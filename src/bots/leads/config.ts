/**
 * The `leads` bot's options, validated when the config is read; every error names the field
 * (`leads: sources.feiyu.token must be at least 16 characters`). Hand-written with the shared
 * OptionReader rather than zod: the intake runs as its own function, and zod alone adds more
 * than 100 ms to a cold start (see src/bots/shared/options.ts), a third of its 300 ms budget.
 */
import { JOB_NAME_PATTERN, JOB_NAME_RULE } from '../../bot/jobs.js';
import { OptionReader } from '../shared/options.js';
import { isTimeZone } from '../shared/time-zone.js';
import { parseDuration } from '../welcome/duration.js';
import { parseShift, type Shift } from './roster.js';

/** The ad platforms and tools the intake understands. */
export const SOURCE_KINDS = ['tencent', 'feiyu', 'generic'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Fields of the common lead model a source may rename (`fields: { phone: 'address.phone' }`). */
export const LEAD_FIELDS = ['id', 'name', 'phone', 'region', 'product', 'channel', 'createdAt'] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

export interface SourceInput {
  kind: SourceKind;
  /**
   * The per-source URL token (`POST /leads/<name>?token=…`), at least 16 characters. Required
   * for `tencent` and `feiyu`, whose push signatures are unconfirmed (ad-lead-push.md): an
   * unguessable URL is the baseline both platforms accept.
   */
  token?: string;
  /**
   * A signing secret. `generic`: HMAC-SHA256 of `timestamp.body` in `x-signature: sha256=<hex>`
   * with `x-timestamp`. `feiyu`: when set, the `Signature` and `Timestamp` headers are required too.
   */
  secret?: string;
  /** Body keys of the common fields, dotted for nested ones (`address.phone`, `remark_dict.意向产品`). */
  fields?: Partial<Record<LeadField, string>>;
  /** 飞鱼 judges delivery by the body: the success answer the push rule's respSetting declares. */
  response?: { codeKey?: string; code?: string | number; msgKey?: string; message?: string };
}

export interface RepInput {
  /** The rep's WeCom userid: who may claim (a click names the clicker by userid) and the roster's key. */
  userId: string;
  name?: string;
  /**
   * A mainland mobile (`13812341234`, `+86 138 1234 1234`): the rep is @-mentioned by it
   * (`mentioned_mobile_list`) instead of `<@userId>`, for a group where the userid mention does
   * not reach them. Markdown cannot mention by mobile, so the post is followed by a one-line text ping.
   */
  mobile?: string;
  /** Who takes this rep's unclaimed leads first (default `claim.backup`). */
  backup?: string;
  /** On duty `09:00-18:00` (in `timezone`); overnight `22:00-06:00` works. Default always. */
  shift?: string;
  /** Days on duty: `mon`…`sun`, `周一`…`周日` or 1…7 (default every day). */
  days?: (string | number)[];
  /** Days off, `2030-06-01`. */
  off?: string[];
}

export interface RuleInput {
  region?: string | string[];
  product?: string | string[];
  source?: string | string[];
  /** The reps eligible for leads matching every condition above. */
  reps: string[];
}

/** The `leads` bot's options, as written in wecombot.config. */
export interface LeadsConfigInput {
  /**
   * The sales group: its robot's webhook (default WECOM_WEBHOOK_URL), and its chat id (so
   * claims from other chats are refused).
   */
  group?: { webhook?: string; chatId?: string };
  /** By the `:source` of `POST /leads/:source`. */
  sources: Record<string, SourceInput>;
  reps: RepInput[];
  /** First match wins; no match: every rep is eligible. */
  rules?: RuleInput[];
  /** Among the eligible reps on duty (default `round-robin`). */
  strategy?: 'round-robin' | 'least-loaded';
  /** Unclaimed after `within` → the backup rep, then the manager, each with a new @. */
  claim?: { within?: string; backup?: string; manager?: string };
  /** A second lead with the same phone within this time is a repeat (default `30d`). */
  repeatWindow?: string;
  timezone?: string;
  /** The claim-timer job (default `leads-escalate`, every minute). */
  job?: { name?: string; schedule?: string };
  /**
   * When the click's passive answer (the only confirmed private channel in a group) can no
   * longer carry the number, send it as a private app message of this corp app (its AgentId;
   * needs the corp API). Without it the claimer is told to ask with `线索 L…`.
   */
  reveal?: { agentId?: number };
  /** Largest intake body (default 64 KiB). */
  bodyLimitBytes?: number;
  /** Intake requests a minute per caller address (default 600). */
  rateLimit?: number;
  /** Epoch ms "now" (tests, the emulator); default the bot's clock. */
  now?: () => number;
}

export interface SourceConfig {
  name: string;
  kind: SourceKind;
  token: string | undefined;
  secret: string | undefined;
  fields: Partial<Record<LeadField, string>>;
  response: { codeKey: string; code: string | number; msgKey: string; message: string };
}

export interface Rep {
  userId: string;
  name: string;
  /** 11 digits, when the rep is mentioned by mobile. */
  mobile: string | undefined;
  backup: string | undefined;
  shift: Shift;
}

export interface Rule {
  region: string[];
  product: string[];
  source: string[];
  reps: string[];
}

export interface LeadsConfig {
  /** `webhook` undefined: WECOM_WEBHOOK_URL (checked when the bot starts). */
  group: { webhook: string | undefined; chatId: string | undefined };
  sources: Map<string, SourceConfig>;
  reps: Rep[];
  rules: Rule[];
  strategy: 'round-robin' | 'least-loaded';
  claim: { withinMs: number; backup: string | undefined; manager: string | undefined };
  repeatWindowMs: number;
  timezone: string;
  job: { name: string; schedule: string };
  reveal: { agentId: number | undefined };
  bodyLimitBytes: number;
  rateLimit: number;
  now: (() => number) | undefined;
}

const BOT = 'leads';
const SOURCE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** Mainland mobiles, as WeCom's mentioned_mobile_list takes them. */
const MOBILE = /^1[3-9]\d{9}$/;
const USER_ID: [RegExp, string] = [/^[^\s<>@|]{1,64}$/, 'must be a WeCom userid (no spaces, <, >, @ or |)'];
const MIN_TOKEN = 16;

/** Refuses the keys of `r`'s object outside `allowed`, with the closest one (OptionReader.only). */
function known(r: OptionReader, _value: unknown, allowed: readonly string[]): void {
  r.only(allowed);
}

function oneOrMany(r: OptionReader, key: string): string[] {
  const v = r.raw(key);
  if (v === undefined) return [];
  if (typeof v === 'string') {
    if (v.trim() === '') r.fail(key, 'must be a non-empty string');
    return [v];
  }
  return r.strings(key);
}

/** A reader of `key[i]`, so errors say `reps[2].userId`. */
function item(r: OptionReader, key: string, raw: unknown, i: number): OptionReader {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) r.fail(`${key}[${i}]`, 'must be an object');
  return new OptionReader(BOT, raw as Record<string, unknown>, r.name(`${key}[${i}]`));
}

function duration(r: OptionReader, key: string, fallback: number): number {
  const text = r.string(key);
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) r.fail(key, `"${text}" is not a duration (use 15m, 2h or 30d)`);
  return ms;
}

function source(r: OptionReader, raw: unknown, name: string): SourceConfig {
  known(r, raw, ['kind', 'token', 'secret', 'fields', 'response']);
  const kind = r.oneOf('kind', SOURCE_KINDS) ?? r.fail('kind', `is required (${SOURCE_KINDS.join(', ')})`);
  const token = r.string('token');
  const secret = r.string('secret');
  if (token !== undefined && token.length < MIN_TOKEN)
    r.fail('token', `must be at least ${MIN_TOKEN} characters (an unguessable URL token)`);
  if (secret !== undefined && secret.length < MIN_TOKEN) r.fail('secret', `must be at least ${MIN_TOKEN} characters`);
  if (kind !== 'generic' && token === undefined)
    r.fail('token', `is required for ${kind} (its push signature is unconfirmed; the URL token is the baseline)`);
  if (kind === 'generic' && token === undefined && secret === undefined)
    r.fail('token', 'or secret is required (no source is open to anyone)');
  const fields = r.stringRecord('fields') ?? {};
  for (const key of Object.keys(fields)) {
    if (!(LEAD_FIELDS as readonly string[]).includes(key)) r.fail(`fields.${key}`, `is not a lead field (use ${LEAD_FIELDS.join(', ')})`);
  }
  const resp = r.object('response');
  if (resp) known(resp, r.raw('response'), ['codeKey', 'code', 'msgKey', 'message']);
  const rawCode = resp?.raw('code');
  if (rawCode !== undefined && typeof rawCode !== 'string' && typeof rawCode !== 'number')
    resp?.fail('code', 'must be a string or a number');
  return {
    name,
    kind,
    token,
    secret,
    fields,
    // 飞鱼's default respSetting is code 200 / message success (ad-lead-push.md §1a).
    response: {
      codeKey: resp?.string('codeKey') ?? 'code',
      code: (rawCode as string | number | undefined) ?? (kind === 'feiyu' ? 200 : 0),
      msgKey: resp?.string('msgKey') ?? 'message',
      message: resp?.string('message') ?? 'success',
    },
  };
}

function rep(r: OptionReader, raw: unknown, timezone: string): Rep {
  known(r, raw, ['userId', 'name', 'mobile', 'backup', 'shift', 'days', 'off']);
  const userId = r.requiredString('userId', { pattern: USER_ID });
  let shift: Shift;
  try {
    shift = parseShift({
      shift: r.string('shift'),
      days: (r.raw('days') as (string | number)[] | undefined) ?? undefined,
      off: r.strings('off'),
      timezone,
    });
  } catch (err) {
    const { field, message } = err as { field?: string; message: string };
    r.fail(field ?? 'shift', message);
  }
  const mobile = r
    .string('mobile')
    ?.replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (mobile !== undefined && !MOBILE.test(mobile)) r.fail('mobile', 'must be a mainland mobile number (11 digits, 1[3-9]…)');
  return { userId, name: r.string('name') ?? userId, mobile, backup: r.string('backup', { pattern: USER_ID }), shift };
}

/** Parses the options; @throws BotOptionsError naming the field. */
export function parseLeadsConfig(input: LeadsConfigInput): LeadsConfig {
  const r: OptionReader = OptionReader.root(BOT, input);
  known(r, input, [
    'group',
    'sources',
    'reps',
    'rules',
    'strategy',
    'claim',
    'repeatWindow',
    'timezone',
    'job',
    'reveal',
    'bodyLimitBytes',
    'rateLimit',
    'now',
  ]);
  const timezone = r.string('timezone') ?? 'Asia/Shanghai';
  if (!isTimeZone(timezone)) r.fail('timezone', `"${timezone}" is not an IANA time zone (Asia/Shanghai)`);

  const group = r.object('group');
  if (group) known(group, r.raw('group'), ['webhook', 'chatId']);
  const webhook = group?.string('webhook', { url: true });

  const sourcesRaw = r.raw('sources');
  if (typeof sourcesRaw !== 'object' || sourcesRaw === null || Array.isArray(sourcesRaw) || Object.keys(sourcesRaw).length === 0)
    r.fail('sources', 'must name at least one source ({ feiyu: { kind: "feiyu", token } })');
  const sources = new Map<string, SourceConfig>();
  for (const name of Object.keys(sourcesRaw)) {
    if (!SOURCE_NAME.test(name))
      r.fail(`sources.${name}`, 'is not a source name (lower-case letters, digits and -, up to 32; it is the URL path)');
    const sr = r.object('sources')?.object(name) ?? r.fail(`sources.${name}`, 'must be an object');
    sources.set(name, source(sr, (sourcesRaw as Record<string, unknown>)[name], name));
  }

  const repsRaw = r.raw('reps');
  if (!Array.isArray(repsRaw) || repsRaw.length === 0) r.fail('reps', 'must list at least one rep ({ userId, name })');
  const reps = repsRaw.map((raw: unknown, i) => rep(item(r, 'reps', raw, i), raw, timezone));
  const ids = new Set<string>();
  for (const [i, x] of reps.entries()) {
    if (ids.has(x.userId)) r.fail(`reps[${i}].userId`, `"${x.userId}" is listed twice`);
    ids.add(x.userId);
  }

  const claimR = r.object('claim');
  if (claimR) known(claimR, r.raw('claim'), ['within', 'backup', 'manager']);
  const claim = {
    withinMs: claimR ? duration(claimR, 'within', 15 * 60_000) : 15 * 60_000,
    backup: claimR?.string('backup', { pattern: USER_ID }),
    manager: claimR?.string('manager', { pattern: USER_ID }),
  };

  const rulesRaw = r.raw('rules');
  if (rulesRaw !== undefined && !Array.isArray(rulesRaw)) r.fail('rules', 'must be an array');
  const rules: Rule[] = ((rulesRaw as unknown[] | undefined) ?? []).map((raw, i) => {
    const rr = item(r, 'rules', raw, i);
    known(rr, raw, ['region', 'product', 'source', 'reps']);
    const rule: Rule = {
      region: oneOrMany(rr, 'region'),
      product: oneOrMany(rr, 'product'),
      source: oneOrMany(rr, 'source'),
      reps: rr.strings('reps'),
    };
    if (rule.reps.length === 0) rr.fail('reps', 'must list at least one rep');
    for (const [j, id] of rule.reps.entries()) if (!ids.has(id)) rr.fail(`reps[${j}]`, `"${id}" is not one of reps[].userId`);
    for (const [j, s] of rule.source.entries()) if (!sources.has(s)) rr.fail(`source[${j}]`, `"${s}" is not one of sources`);
    if (!rule.region.length && !rule.product.length && !rule.source.length)
      rr.fail('region', 'or product or source is required (a rule without a condition matches every lead)');
    return rule;
  });

  const jobR = r.object('job', ['name', 'schedule']);
  const job = {
    name: jobR?.string('name', { pattern: [JOB_NAME_PATTERN, JOB_NAME_RULE] }) ?? 'leads-escalate',
    schedule: jobR?.string('schedule') ?? '0 * * * * *',
  };
  const now = r.raw('now');
  if (now !== undefined && typeof now !== 'function') r.fail('now', 'must be a function returning epoch ms');
  return {
    group: { webhook, chatId: group?.string('chatId') },
    sources,
    reps,
    rules,
    strategy: r.oneOf('strategy', ['round-robin', 'least-loaded'] as const, 'round-robin') ?? 'round-robin',
    claim,
    repeatWindowMs: duration(r, 'repeatWindow', 30 * 86_400_000),
    timezone,
    job,
    reveal: { agentId: r.object('reveal', ['agentId'])?.number('agentId', { min: 1, integer: true }) },
    bodyLimitBytes: r.number('bodyLimitBytes', { min: 1024, max: 1024 * 1024, integer: true }) ?? 64 * 1024,
    rateLimit: r.number('rateLimit', { min: 1, max: 100_000, integer: true }) ?? 600,
    now: now as (() => number) | undefined,
  };
}
