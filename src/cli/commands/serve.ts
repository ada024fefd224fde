import type { Command } from 'commander';
import { createBotFromConfig } from '../../config/create.js';
import { loadConfig } from '../../config/load.js';
import { serveNode } from '../../runtime/node.js';

interface ServeOptions {
  port?: string;
  host?: string;
  config?: string;
  jobs: boolean;
}

/**
 * `wecombot serve`: the bot as an HTTP server. Without a config (or with no bots in it) the
 * built-in diagnostic bot answers, so a freshly configured callback URL can be checked.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the bot as an HTTP server: GET/POST /wecom/callback, POST /wecom/aibot, GET /healthz')
    .option('-p, --port <port>', 'port (default: config server.port, PORT, or 3000)')
    .option('-H, --host <host>', 'address to bind (default: config server.host or 127.0.0.1)')
    .option('-c, --config <path>', 'config file (default: wecombot.config.(ts|js|json) in the current directory)')
    .option('--no-jobs', 'do not run scheduled jobs in this process')
    .action(async (opts: ServeOptions) => {
      const { config, path } = await loadConfig({ path: opts.config });
      const port = Number(opts.port ?? config.server?.port ?? process.env.PORT ?? 3000);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${opts.port} is not a port number`);
      const host = opts.host ?? config.server?.host ?? '127.0.0.1';
      const bot = await createBotFromConfig(config, { runtime: 'node' });
      const server = await serveNode(bot, { port, host });
      if (opts.jobs) await bot.startJobs();
      bot.log.info(
        {
          url: server.url,
          config: path ?? null,
          robots: bot.robots,
          modules: bot.modules,
          jobs: opts.jobs ? await bot.nextRuns() : {},
        },
        `wecombot listening on ${server.url} (callback ${bot.options.paths.callback}, aibot ${bot.options.paths.aibot}, health ${bot.options.paths.health})`,
      );
      if (bot.robots.length === 0) {
        bot.log.warn(
          'no robot secrets: set WECOM_TOKEN and WECOM_ENCODING_AES_KEY (or WECOM_AIBOT_TOKEN and WECOM_AIBOT_ENCODING_AES_KEY)',
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          bot.log.info('shutting down: finishing late replies');
          void server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
