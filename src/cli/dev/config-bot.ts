/**
 * The user's own bot in `wecombot dev`: the config `serve` and `build` read (its modules and
 * setup), made by the same `createBotFromConfig`, with the emulator's secrets, webhook and store.
 */
import type { Bot } from '../../bot/bot.js';
import type { Logger } from '../../bot/logger.js';
import { createBotFromConfig } from '../../config/create.js';
import type { LoadedConfig } from '../../config/load.js';
import type { Store } from '../../store/store.js';

export interface ConfigBot {
  bot: Bot;
  /** What to print at start: which config and modules were loaded. */
  banner: string[];
}

/** Creates the bot of `loaded` (a config that was found) against the emulator. */
export async function createConfigBot(
  loaded: LoadedConfig & { path: string },
  options: { env: Readonly<Record<string, string | undefined>>; store: Store; logger: Logger },
): Promise<ConfigBot> {
  const bot = await createBotFromConfig(loaded.config, { env: options.env, store: options.store, logger: options.logger, runtime: 'node' });
  const jobs = bot.jobs().map((j) => j.name);
  return {
    bot,
    banner: [
      `config: ${loaded.path}`,
      `modules: ${bot.modules.join(', ') || 'none'}${loaded.config.setup ? ' + setup(bot)' : ''}; robots: ${bot.robots.join(', ')}; jobs: ${jobs.join(', ') || 'none'}`,
    ],
  };
}
