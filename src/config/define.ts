/**
 * The shape of `wecombot.config.(ts|js|json)`. `defineConfig` is an identity function that
 * only gives editors the types: validation happens at start (`loadConfig`) and at build time.
 */
import type { LevelWithSilent } from 'pino';
import type { Bot } from '../bot/bot.js';
import type { BotModule } from '../bot/module.js';
import type { BotOptions } from '../bot/options.js';

/** The `createBot` options a config file may set as they are (same names, types and docs). */
type BotTuning = Pick<BotOptions, 'ackBudgetMs' | 'maxBodyBytes' | 'maxSkewSeconds' | 'dedupeTtlMs' | 'botName' | 'paths' | 'flatJson'>;

export interface WecombotConfig extends BotTuning {
  /** Ready-made bots and your own modules, installed in order (the first match wins). */
  bots?: BotModule[];
  /** Your own handlers and jobs, installed after `bots`. */
  setup?: (bot: Bot) => void | Promise<void>;
  /** Default `info`; `WECOMBOT_LOG_LEVEL` overrides. */
  logLevel?: LevelWithSilent;
  /** `wecombot serve` defaults. */
  server?: { port?: number; host?: string };
  /** `wecombot build` settings. */
  build?: BuildSettings;
  /**
   * The corp app's settings besides its secrets (WECOM_CORP_ID, WECOM_CORP_TOKEN,
   * WECOM_CORP_ENCODING_AES_KEY, WECOM_CORP_SECRET come from the environment).
   */
  corp?: { /** Link each new customer to one identity in the store (src/identity/). Default false. */ identity?: boolean };
}

export interface BuildSettings {
  /** Function name in serverless.yml; default `wecombot`. */
  name?: string;
  /** SCF region; default `ap-guangzhou`. */
  region?: string;
  /** SCF runtime; default `Nodejs18.15`. */
  runtime?: string;
  /** Memory in MB; default 128. */
  memorySize?: number;
  /** Function timeout in seconds; default 15 (late replies finish before the function returns). */
  timeout?: number;
  /**
   * SCF execution role (its name) written into serverless.yml as `role`; it must allow
   * `scf:Invoke` on the function, which hands slow callbacks to an asynchronous invocation.
   * Default: none (a commented placeholder).
   */
  role?: string;
  /** Extra modules to leave out of the bundle. */
  external?: string[];
  /** Environment variable names copied into serverless.yml as `${env:NAME}`. */
  environment?: string[];
}

/**
 * Types a config file.
 *
 * @example
 * // wecombot.config.ts
 * import { defineConfig } from 'wecombot';
 * export default defineConfig({
 *   setup(bot) {
 *     bot.command('报名', (ctx) => ctx.reply(`已报名：${ctx.from.name}`));
 *   },
 * });
 */
export function defineConfig(config: WecombotConfig): WecombotConfig {
  return config;
}
