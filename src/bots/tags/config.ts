/**
 * The `tags` bot's options: who may tag from chat, the declared tag groups, keyword rules on
 * messages addressed to the bot, behaviour rules over domain events, and the corp link.
 */
import type { CorpClient } from '../../corp/client.js';
import { OptionReader, optionKeys } from '../shared/options.js';
import { checkTagName } from './book.js';

/** "A member who says 报价 or 价格 to the bot gets 意向". */
export interface KeywordRuleInput {
  /** Shown in the audit as `rule:<name>`; default `keyword-<n>`. */
  name?: string;
  /** Words (any of them, as substrings) or a RegExp. */
  match: string | readonly string[] | RegExp;
  /** The tag(s) given. */
  tag: string | readonly string[];
}

/** "Whoever signs up for A1 gets 读书会": an event name, payload fields to match, tags to give. */
export interface BehaviourRuleInput {
  name?: string;
  /** `signup.joined`, `coupon.claimed`, `faq.answered`, `lead.created`, or a module's own event. */
  on: string;
  /** Payload fields that must equal (one of) these values: `{ activity: 'A1' }`, `{ source: ['tencent', 'ocean'] }`. */
  where?: Record<string, string | number | readonly (string | number)[]>;
  tag: string | readonly string[];
}

export interface TagsConfigInput {
  /** Userids allowed to `/tag` and `/untag` from chat. */
  staff?: string[];
  /** Declared groups and tags, created at start-up (and in WeCom, with the corp link): `{ 地区: ['上海', '北京'] }`. */
  groups?: Record<string, readonly string[]>;
  keywords?: KeywordRuleInput[];
  behaviours?: BehaviourRuleInput[];
  /**
   * The corp API client to sync with WeCom corp tags. Default: one made from WECOM_CORP_ID and
   * WECOM_CORP_SECRET when both are set; `false` keeps the tags local.
   */
  corp?: CorpClient | false;
  /** The job that pulls WeCom's corp tags (default every 30 minutes). */
  sync?: { name?: string; schedule?: string };
  /** Record the groups members speak in (what campaigns deliver to); default true. */
  presence?: boolean;
}

export interface KeywordRule {
  name: string;
  test: (text: string) => boolean;
  tags: string[];
}

export interface BehaviourRule {
  name: string;
  on: string;
  where: Record<string, string[]>;
  tags: string[];
}

export interface TagsConfig {
  staff: string[];
  groups: { group: string; tags: string[] }[];
  keywords: KeywordRule[];
  behaviours: BehaviourRule[];
  corp: CorpClient | false | undefined;
  sync: { name: string; schedule: string };
  presence: boolean;
}

const BOT = 'tags';
const OPTIONS = optionKeys<TagsConfigInput>({
  staff: true,
  groups: true,
  keywords: true,
  behaviours: true,
  corp: true,
  sync: true,
  presence: true,
});
const KEYWORD = optionKeys<KeywordRuleInput>({ name: true, match: true, tag: true });
const BEHAVIOUR = optionKeys<BehaviourRuleInput>({ name: true, on: true, where: true, tag: true });

function tagList(r: OptionReader, key: string, value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : undefined;
  if (!list || list.length === 0) r.fail(key, 'must be a tag name or a non-empty array of tag names');
  return list.map((t, i) => {
    if (typeof t !== 'string') r.fail(`${key}[${i}]`, 'must be a string');
    try {
      return checkTagName(t);
    } catch (err) {
      r.fail(`${key}[${i}]`, (err as Error).message);
    }
  });
}

function keywordTest(r: OptionReader, key: string, match: unknown): (text: string) => boolean {
  if (match instanceof RegExp) return (text) => new RegExp(match.source, match.flags.replace('g', '')).test(text);
  const words = typeof match === 'string' ? [match] : Array.isArray(match) ? match : undefined;
  if (!words || words.length === 0 || !words.every((w) => typeof w === 'string' && w.trim()))
    r.fail(key, 'must be a word, an array of words or a RegExp');
  const lower = (words as string[]).map((w) => w.trim().toLowerCase());
  return (text) => {
    const t = text.toLowerCase();
    return lower.some((w) => t.includes(w));
  };
}

export function parseTagsConfig(input: TagsConfigInput = {}): TagsConfig {
  const r = OptionReader.root(BOT, input, OPTIONS);
  const staff = r.strings('staff');
  const groups: TagsConfig['groups'] = [];
  const declared = r.raw('groups');
  if (declared !== undefined) {
    if (typeof declared !== 'object' || declared === null || Array.isArray(declared))
      r.fail('groups', 'must be an object of group → tag names');
    for (const [group, tags] of Object.entries(declared as Record<string, unknown>)) {
      try {
        checkTagName(group, 'group');
      } catch (err) {
        r.fail(`groups.${group}`, (err as Error).message);
      }
      groups.push({ group, tags: tagList(r, `groups.${group}`, tags) });
    }
  }
  const seen = new Map<string, string>();
  for (const g of groups)
    for (const t of g.tags) {
      const other = seen.get(t);
      if (other !== undefined) r.fail(`groups.${g.group}`, `repeats tag "${t}" of group ${other}: tag names are unique across groups`);
      seen.set(t, g.group);
    }
  const keywords = arrayOf(r, 'keywords').map((k, i): KeywordRule => {
    const key = `keywords[${i}]`;
    const rule = k as Record<string, unknown>;
    new OptionReader(BOT, rule, key).only(KEYWORD);
    if (rule.match === undefined) r.fail(`${key}.match`, 'is required');
    return {
      name: ruleName(r, `${key}.name`, rule.name, `keyword-${i + 1}`),
      test: keywordTest(r, `${key}.match`, rule.match),
      tags: tagList(r, `${key}.tag`, rule.tag),
    };
  });
  const behaviours = arrayOf(r, 'behaviours').map((b, i): BehaviourRule => {
    const key = `behaviours[${i}]`;
    const rule = b as Record<string, unknown>;
    new OptionReader(BOT, rule, key).only(BEHAVIOUR);
    if (typeof rule.on !== 'string' || !/^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9_-]*)+$/.test(rule.on))
      r.fail(`${key}.on`, 'must be an event name such as signup.joined, coupon.claimed, faq.answered or lead.created');
    const where: Record<string, string[]> = {};
    if (rule.where !== undefined) {
      if (typeof rule.where !== 'object' || rule.where === null || Array.isArray(rule.where)) r.fail(`${key}.where`, 'must be an object');
      for (const [field, v] of Object.entries(rule.where as Record<string, unknown>)) {
        const values = Array.isArray(v) ? v : [v];
        if (values.length === 0 || !values.every((x) => typeof x === 'string' || typeof x === 'number'))
          r.fail(`${key}.where.${field}`, 'must be a string, a number or an array of them');
        where[field] = values.map(String);
      }
    }
    return {
      name: ruleName(r, `${key}.name`, rule.name, `${rule.on}-${i + 1}`),
      on: rule.on as string,
      where,
      tags: tagList(r, `${key}.tag`, rule.tag),
    };
  });
  const corp = r.raw('corp');
  if (corp !== undefined && corp !== false && (typeof corp !== 'object' || corp === null || !('tags' in corp)))
    r.fail('corp', 'must be a corp client (createCorpClient) or false');
  const sync = r.object('sync', ['name', 'schedule']);
  return {
    staff,
    groups,
    keywords,
    behaviours,
    corp: corp as CorpClient | false | undefined,
    sync: {
      name:
        sync?.string('name', { pattern: [/^[A-Za-z][A-Za-z0-9_-]{0,59}$/, 'must be a job name (letters, digits, _ and -)'] }) ??
        'tags-sync',
      schedule: sync?.string('schedule') ?? '0 */30 * * * *',
    },
    presence: r.raw('presence') === undefined ? true : Boolean(r.raw('presence')),
  };
}

function arrayOf(r: OptionReader, key: string): unknown[] {
  const v = r.raw(key);
  if (v === undefined) return [];
  if (!Array.isArray(v)) r.fail(key, 'must be an array');
  v.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) r.fail(`${key}[${i}]`, 'must be an object');
  });
  return v;
}

function ruleName(r: OptionReader, key: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[\w.-]{1,60}$/u.test(value)) r.fail(key, 'must be letters, digits, _, - or . (at most 60)');
  return value;
}
