import { didYouMeanSuffix } from '../../config/did-you-mean.js';
import { WecombotError } from '../../errors.js';

/**
 * Validation of a ready-made bot's options. Hand-written rather than zod on purpose: these
 * checks run at every cold start of a deployed function, and loading zod alone costs more
 * than 100 ms there (measured with `npm run bench:kb-bot`), half the kb-search budget.
 */
export class BotOptionsError extends WecombotError {
  readonly field: string;
  constructor(bot: string, field: string, problem: string, hint = `fix ${field} in the ${bot} options of wecombot.config`) {
    super('bot_options_invalid', `${bot}: ${field} ${problem}`, { hint });
    this.field = field;
  }
}

type Obj = Record<string, unknown>;

/**
 * The option names of an input type, every one of them: `optionKeys<KbSearchConfigInput>({
 * source: true, limit: true, … })` does not compile when one is missing or one is not in the
 * type, so the list of known options cannot drift from the documented interface.
 */
export function optionKeys<I>(keys: { [K in keyof Required<I> & string]: true }): readonly string[] {
  return Object.keys(keys);
}

/** Reads one options object; each getter names the field in its error. */
export class OptionReader {
  constructor(
    private readonly bot: string,
    private readonly value: Obj,
    private readonly path: string,
  ) {}

  /**
   * The reader of a bot's options. With `known` (see {@link optionKeys}), a key outside it is
   * refused at once with the closest known name: a misspelt option (`limt`) would otherwise be
   * ignored without a word, and a misspelt required one (`sourse`) reported as missing.
   */
  static root(bot: string, input: unknown, known?: readonly string[]): OptionReader {
    if (input === undefined) return new OptionReader(bot, {}, '');
    if (!isObject(input)) throw new BotOptionsError(bot, 'options', 'must be an object');
    const r = new OptionReader(bot, input, '');
    if (known) r.only(known);
    return r;
  }

  /**
   * Refuses every key of this object that is not in `known`, naming the closest known one
   * (`kb-search: limt is not an option (did you mean "limit"?)`). A key set to undefined counts
   * too: it is still a misspelling.
   */
  only(known: readonly string[]): this {
    for (const key of Object.keys(this.value)) {
      if (known.includes(key)) continue;
      const where = this.path ? `${this.bot} ${this.path}` : this.bot;
      throw new BotOptionsError(
        this.bot,
        this.name(key),
        `is not an option${didYouMeanSuffix(key, known)}`,
        `${where} takes ${known.join(', ')}`,
      );
    }
    return this;
  }

  name(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, problem: string): never {
    throw new BotOptionsError(this.bot, this.name(key), problem);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  /** The reader of a nested object; with `known`, its other keys are refused (see {@link only}). */
  object(key: string, known?: readonly string[]): OptionReader | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(key, 'must be an object');
    const r = new OptionReader(this.bot, v, this.name(key));
    if (known) r.only(known);
    return r;
  }

  string(key: string, options: { default?: string; pattern?: [RegExp, string]; url?: boolean } = {}): string | undefined {
    const v = this.value[key];
    if (v === undefined) return options.default;
    if (typeof v !== 'string' || v.trim() === '') this.fail(key, 'must be a non-empty string');
    if (options.pattern && !options.pattern[0].test(v)) this.fail(key, options.pattern[1]);
    if (options.url && !/^https?:\/\/[^\s]+$/i.test(v)) this.fail(key, `must be an http(s) URL (got "${v}")`);
    return v;
  }

  requiredString(key: string, options: { pattern?: [RegExp, string]; url?: boolean } = {}): string {
    const v = this.string(key, options);
    if (v === undefined) this.fail(key, 'is required');
    return v;
  }

  number(key: string, options: { default?: number; min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = this.value[key];
    if (v === undefined) return options.default;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'must be a number');
    if (options.integer && !Number.isInteger(v)) this.fail(key, 'must be an integer');
    if (options.min !== undefined && v < options.min) this.fail(key, `must be at least ${options.min}`);
    if (options.max !== undefined && v > options.max) this.fail(key, `must be at most ${options.max}`);
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T | undefined {
    const v = this.value[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
      this.fail(key, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return v as T;
  }

  strings(key: string, options: { url?: boolean } = {}): string[] {
    const v = this.value[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(key, 'must be an array of strings');
    return v.map((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') this.fail(`${key}[${i}]`, 'must be a non-empty string');
      if (options.url && !/^https?:\/\/[^\s]+$/i.test(item)) this.fail(`${key}[${i}]`, 'must be an http(s) URL');
      return item;
    });
  }

  stringRecord(key: string): Record<string, string> | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) this.fail(key, 'must be an object of strings');
    return v as Record<string, string>;
  }
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
