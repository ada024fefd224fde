import { WecombotError } from '../../errors.js';

/**
 * Validation of a ready-made bot's options. Hand-written rather than zod on purpose: these
 * checks run at every cold start of a deployed function, and loading zod alone costs more
 * than 100 ms there (measured with `npm run bench:kb-bot`), half the kb-search budget.
 */
export class BotOptionsError extends WecombotError {
  readonly field: string;
  constructor(bot: string, field: string, problem: string) {
    super('bot_options_invalid', `${bot}: ${field} ${problem}`, { hint: `fix ${field} in the ${bot} options of wecombot.config` });
    this.field = field;
  }
}

type Obj = Record<string, unknown>;

/** Reads one options object; each getter names the field in its error. */
export class OptionReader {
  constructor(
    private readonly bot: string,
    private readonly value: Obj,
    private readonly path: string,
  ) {}

  static root(bot: string, input: unknown): OptionReader {
    if (input === undefined) return new OptionReader(bot, {}, '');
    if (!isObject(input)) throw new BotOptionsError(bot, 'options', 'must be an object');
    return new OptionReader(bot, input, '');
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

  object(key: string): OptionReader | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(key, 'must be an object');
    return new OptionReader(this.bot, v, this.name(key));
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
