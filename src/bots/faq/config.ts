import { OptionReader, optionKeys } from '../shared/options.js';
import { DEFAULT_THRESHOLDS, type MatchThresholds } from './matcher.js';
import { parseDays, parseHours, type Shift } from './roster.js';
import { qaFormatOf } from './source.js';
import { isTimeZone } from '../shared/time-zone.js';

/** One member of the duty roster, as written in the config. */
export interface RosterInput {
  /** The staff member's WeCom userid (mentioned on handoff). */
  userId: string;
  name?: string;
  /** `mon-fri` (default), `sat,sun`, `daily`, `weekdays`, `weekends`, or a list of day names. */
  days?: string | string[];
  /** `09:00-18:00` (default), `9-18`; `22-6` runs over midnight. */
  hours?: string;
}

/** The `faq` bot's options, as written in wecombot.config. */
export interface FaqConfigInput {
  /** The Q&A file: `.yaml`/`.yml`, `.csv` or `.md` (a Markdown FAQ page works as it is). */
  source: string;
  /**
   * An index file from `wecombot faq index` for fast cold starts (FaaS). Without one, the index
   * is built on the first question, which loads jieba (100–200 ms). A stale index (the Q&A
   * file changed) is noticed and rebuilt, with a warning.
   */
  index?: string;
  /** Your own synonym groups: `云函数 = SCF` a line, or arrays of words. */
  synonyms?: string | string[] | string[][];
  /** Use the built-in list of customer words (多少钱 = 收费 = 计费 …); default true. */
  defaultSynonyms?: boolean;
  /** Confidence thresholds, 0–1: `answer` (default 0.7) and `suggest` (0.3); see docs/en/faq.md. */
  thresholds?: Partial<MatchThresholds>;
  /** In a group, answer so that only the asker sees it (`visible_to_user`); default false. */
  private?: boolean;
  /**
   * Another catch-all answers what the FAQ cannot (kb-search, installed on the same bot): a
   * question with no close entry passes on to it in every chat (a single chat too, instead of
   * the FAQ's "sorry"), and is not counted as a miss toward `handoff.afterMisses`, since the
   * FAQ is not the last word on it. Default: true exactly when another module's catch-all runs
   * after the FAQ on the same bot (kb-search installed beside it); false makes the FAQ the last
   * word even then.
   */
  passOn?: boolean;
  /** Closest questions offered as buttons, 1–3 (default 3). */
  suggestions?: number;
  /** Parts an over-long answer may be split into, 1–5 (default 2); the rest is trimmed. */
  maxAnswerParts?: number;
  handoff?: {
    /** Words that ask for a human (the whole message); default 转人工, 人工客服, 找人工. */
    keywords?: string[];
    /** Unmatched questions in a row that hand over; default 2, 0 never. */
    afterMisses?: number;
    /** How long the bot stays quiet on a handed-over customer, in minutes (default 30). */
    quietMinutes?: number;
    roster?: RosterInput[];
    /** Timezone of the roster (default Asia/Shanghai). */
    timezone?: string;
  };
  /** Clock for tests (milliseconds); default Date.now. */
  now?: () => number;
}

/** The options as the bot uses them. */
export interface FaqConfig {
  source: string;
  index: string | undefined;
  synonyms: string | string[] | string[][];
  defaultSynonyms: boolean;
  thresholds: MatchThresholds;
  private: boolean;
  /** Undefined: pass on when another catch-all follows (ModuleServices.catchAllFollows). */
  passOn: boolean | undefined;
  suggestions: number;
  maxAnswerParts: number;
  handoff: {
    keywords: string[];
    afterMisses: number;
    quietMs: number;
    roster: Shift[];
    timezone: string;
  };
  now: () => number;
}

const OPTIONS = optionKeys<FaqConfigInput>({
  source: true,
  index: true,
  synonyms: true,
  defaultSynonyms: true,
  thresholds: true,
  private: true,
  passOn: true,
  suggestions: true,
  maxAnswerParts: true,
  handoff: true,
  now: true,
});
const HANDOFF = optionKeys<NonNullable<FaqConfigInput['handoff']>>({
  keywords: true,
  afterMisses: true,
  quietMinutes: true,
  roster: true,
  timezone: true,
});
const ROSTER = optionKeys<RosterInput>({ userId: true, name: true, days: true, hours: true });

/**
 * Validates the options once, at start-up; errors name the field.
 *
 * @example parseFaqConfig({ source: './faq.yaml', handoff: { roster: [{ userId: 'zhangsan', hours: '9-18' }] } })
 */
export function parseFaqConfig(input: FaqConfigInput): FaqConfig {
  const r = OptionReader.root('faq', input, OPTIONS);
  const source = r.requiredString('source');
  if (!qaFormatOf(source)) r.fail('source', `must be a .yaml, .yml, .csv or .md file (got "${source}")`);
  const t = r.object('thresholds', ['answer', 'suggest']);
  const thresholds: MatchThresholds = {
    answer: t?.number('answer', { default: DEFAULT_THRESHOLDS.answer, min: 0, max: 1 }) ?? DEFAULT_THRESHOLDS.answer,
    suggest: t?.number('suggest', { default: DEFAULT_THRESHOLDS.suggest, min: 0, max: 1 }) ?? DEFAULT_THRESHOLDS.suggest,
  };
  if (thresholds.suggest > thresholds.answer)
    (t ?? r).fail(t ? 'suggest' : 'thresholds', `must not be above thresholds.answer (${thresholds.answer})`);
  const synonyms = r.raw('synonyms');
  if (
    synonyms !== undefined &&
    typeof synonyms !== 'string' &&
    !(
      Array.isArray(synonyms) && synonyms.every((g) => typeof g === 'string' || (Array.isArray(g) && g.every((w) => typeof w === 'string')))
    )
  ) {
    r.fail('synonyms', 'must be text (`a = b` a line), a list of lines, or a list of word lists');
  }
  const now = r.raw('now');
  if (now !== undefined && typeof now !== 'function') r.fail('now', 'must be a function returning milliseconds');
  const defaultSynonyms = r.raw('defaultSynonyms');
  if (defaultSynonyms !== undefined && typeof defaultSynonyms !== 'boolean') r.fail('defaultSynonyms', 'must be true or false');
  const privately = r.raw('private');
  if (privately !== undefined && typeof privately !== 'boolean') r.fail('private', 'must be true or false');
  const passOn = r.raw('passOn');
  if (passOn !== undefined && typeof passOn !== 'boolean') r.fail('passOn', 'must be true or false');

  const h = r.object('handoff', HANDOFF);
  const timezone = h?.string('timezone', { default: 'Asia/Shanghai' }) ?? 'Asia/Shanghai';
  if (!isTimeZone(timezone)) h!.fail('timezone', `"${timezone}" is not an IANA timezone (e.g. Asia/Shanghai)`);
  const roster: Shift[] = [];
  const rawRoster = h?.raw('roster');
  if (rawRoster !== undefined && !Array.isArray(rawRoster)) h!.fail('roster', 'must be a list of { userId, days, hours }');
  (rawRoster as unknown[] | undefined)?.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      h!.fail(`roster[${i}]`, 'must be an object { userId, days, hours }');
    const s = new OptionReader('faq', item as Record<string, unknown>, h!.name(`roster[${i}]`)).only(ROSTER);
    const userId = s.requiredString('userId');
    const daysRaw = s.raw('days') ?? 'mon-fri';
    if (typeof daysRaw !== 'string' && !(Array.isArray(daysRaw) && daysRaw.every((d) => typeof d === 'string')))
      s.fail('days', 'must be text such as mon-fri or a list of day names');
    const days = parseDays(daysRaw as string | string[]);
    if (typeof days === 'string') return s.fail('days', days);
    const hours = parseHours(s.string('hours', { default: '09:00-18:00' })!);
    if (typeof hours === 'string') return s.fail('hours', hours);
    const name = s.string('name');
    roster.push({ userId, ...(name ? { name } : {}), days, start: hours.start, end: hours.end });
  });
  const keywords = h?.strings('keywords') ?? [];
  return {
    source,
    index: r.string('index'),
    synonyms: (synonyms as FaqConfig['synonyms'] | undefined) ?? [],
    defaultSynonyms: (defaultSynonyms as boolean | undefined) ?? true,
    thresholds,
    private: (privately as boolean | undefined) ?? false,
    passOn: passOn as boolean | undefined,
    suggestions: r.number('suggestions', { default: 3, min: 1, max: 3, integer: true })!,
    maxAnswerParts: r.number('maxAnswerParts', { default: 2, min: 1, max: 5, integer: true })!,
    handoff: {
      keywords: keywords.length > 0 ? keywords : ['转人工', '人工客服', '找人工'],
      afterMisses: h?.number('afterMisses', { default: 2, min: 0, integer: true }) ?? 2,
      quietMs: (h?.number('quietMinutes', { default: 30, min: 1 }) ?? 30) * 60_000,
      roster,
      timezone,
    },
    now: (now as (() => number) | undefined) ?? Date.now,
  };
}
