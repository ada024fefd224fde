/**
 * The seam for ready-made bots (src/bots/): a module installs handlers and jobs on a bot.
 * A config lists modules in `bots: [...]`; `wecombot serve` and `wecombot build` install them
 * in order, so the first module's handlers match first.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { Bot } from './bot.js';

/** What a module gets besides the bot. */
export interface ModuleContext {
  store: Store;
  /** Logger with `module` bound. */
  log: Logger;
  /** WECOM_WEBHOOK_URL, for jobs that push without a callback. */
  webhookUrl: string | undefined;
}

/** An installed unit of behaviour: handlers (`bot.on/hears/command`) and jobs (`bot.job`). */
export interface BotModule {
  readonly name: string;
  /**
   * Files the module reads at run time (e.g. a knowledge-base index), relative to the project
   * directory. `wecombot build` copies them next to the bundle, where the module finds them
   * through `bundleDir()`.
   */
  readonly assets?: readonly string[];
  install(bot: Bot, ctx: ModuleContext): void | Promise<void>;
}

export interface BotModuleDefinition<O, I = O> {
  /** Unique, kebab-case (`welcome`, `kb-search`). Shows in logs. */
  name: string;
  /**
   * Validates the user's options (type I, e.g. a zod schema's input) into what `install`
   * gets (type O); errors should name the field. Runs when the config is evaluated.
   */
  parse?: (input: I) => O;
  /** The run-time files of this configuration (see BotModule.assets). */
  assets?: (options: O) => readonly string[];
  install(bot: Bot, ctx: ModuleContext, options: O): void | Promise<void>;
}

/**
 * Defines a ready-made bot: returns a factory taking the user's options.
 *
 * @example
 * export const welcome = defineBotModule({
 *   name: 'welcome',
 *   parse: (o) => WelcomeOptions.parse(o),
 *   install(bot, ctx, options) {
 *     bot.on('event:add_to_chat', (c) => c.reply(options.text));
 *   },
 * });
 * // wecombot.config.ts
 * export default defineConfig({ bots: [welcome({ text: '欢迎！' })] });
 */
export function defineBotModule<O = void, I = O>(definition: BotModuleDefinition<O, I>): (options: I) => BotModule {
  return (options: I) => {
    const parsed = definition.parse ? definition.parse(options) : (options as unknown as O);
    return {
      name: definition.name,
      ...(definition.assets ? { assets: definition.assets(parsed) } : {}),
      install: (bot, ctx) => definition.install(bot, ctx, parsed),
    };
  };
}

/**
 * Where a module's relative asset paths resolve: the bundle's folder in a built function
 * (`wecombot build` sets WECOMBOT_BUNDLE_DIR), else the current directory.
 */
export function bundleDir(): string {
  return process.env.WECOMBOT_BUNDLE_DIR || process.cwd();
}
