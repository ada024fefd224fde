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
  install(bot: Bot, ctx: ModuleContext): void | Promise<void>;
}

export interface BotModuleDefinition<O> {
  /** Unique, kebab-case (`welcome`, `kb-search`). Shows in logs. */
  name: string;
  /** Validates user options at start (e.g. `schema.parse` of a zod schema); errors should name the field. */
  parse?: (input: unknown) => O;
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
export function defineBotModule<O = void>(definition: BotModuleDefinition<O>): (options: O) => BotModule {
  return (options: O) => {
    const parsed = definition.parse ? definition.parse(options) : options;
    return {
      name: definition.name,
      install: (bot, ctx) => definition.install(bot, ctx, parsed),
    };
  };
}
