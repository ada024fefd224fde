/**
 * From a (validated) config and the environment to a ready bot: secrets, store, modules,
 * and the diagnostic bot when nothing is configured.
 */
import { Bot, createBot } from '../bot/bot.js';
import { diagnosticBot } from '../bot/diagnostic.js';
import type { Logger } from '../bot/logger.js';
import type { Store } from '../store/store.js';
import type { WecombotConfig } from './define.js';
import { readEnv } from './env.js';

export interface CreateFromConfigOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * `node`: without WECOMBOT_DATABASE_URL the store is the default SQLite file (dedupe
   * survives restarts). `faas`: an in-memory store unless a database/Redis is configured,
   * since the instance's disk is not shared.
   */
  runtime?: 'node' | 'faas';
  /** Use this store instead of opening one. */
  store?: Store;
  logger?: Logger;
}

/**
 * Creates the bot a config describes.
 *
 * @example const bot = await createBotFromConfig(config, { runtime: 'faas' });
 */
export async function createBotFromConfig(config: WecombotConfig = {}, options: CreateFromConfigOptions = {}): Promise<Bot> {
  const env = options.env ?? process.env;
  const settings = readEnv(env);
  let store = options.store;
  if (!store && (settings.sharedStore || options.runtime !== 'faas')) {
    const { openStoreFromEnv } = await import('../store/open.js');
    store = await openStoreFromEnv(env);
  } else if (!store) {
    const { openLightMemoryStore } = await import('../bot/light-memory-store.js');
    store = await openLightMemoryStore();
  }
  const ephemeralStore = options.runtime === 'faas' && !settings.sharedStore && !options.store;
  const logLevel = (env.WECOMBOT_LOG_LEVEL as WecombotConfig['logLevel']) || config.logLevel;
  const bot = createBot({
    group: settings.group,
    aibot: settings.aibot,
    ...(settings.corp
      ? { corp: { ...settings.corp, ...(config.corp?.identity !== undefined && { identity: config.corp.identity }) } }
      : {}),
    webhookUrl: settings.webhookUrl,
    ...(store ? { store } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(logLevel ? { logLevel } : {}),
    ...(config.ackBudgetMs !== undefined ? { ackBudgetMs: config.ackBudgetMs } : {}),
    ...(config.maxBodyBytes !== undefined ? { maxBodyBytes: config.maxBodyBytes } : {}),
    ...(config.maxSkewSeconds !== undefined ? { maxSkewSeconds: config.maxSkewSeconds } : {}),
    ...(config.dedupeTtlMs !== undefined ? { dedupeTtlMs: config.dedupeTtlMs } : {}),
    ...(config.botName ? { botName: config.botName } : {}),
    ...(config.paths ? { paths: config.paths } : {}),
    ...(config.flatJson ? { flatJson: config.flatJson } : {}),
    ephemeralStore,
  });
  if (options.runtime === 'faas' && !settings.sharedStore && (settings.group || settings.aibot || settings.corp)) {
    bot.log.warn(
      'no WECOMBOT_DATABASE_URL or WECOMBOT_REDIS_URL: de-duplication and AI bot streams are per instance; retries reaching another instance are handled again',
    );
  }
  for (const module of config.bots ?? []) await bot.install(module);
  await config.setup?.(bot);
  if ((config.bots ?? []).length === 0 && !config.setup) await bot.install(diagnosticBot());
  return bot;
}
