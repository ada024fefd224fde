import type { Command } from 'commander';
import { createBotFromConfig } from '../../config/create.js';
import { loadConfig } from '../../config/load.js';
import { serveNode } from '../../runtime/node.js';
import { WecombotError } from '../../errors.js';
import { ENV_HELP, withEnv } from '../help-env.js';
import { onStopSignal } from '../interrupt.js';
import { isServeWorker, parseWorkers, serveWorkers, workerRunsJobs } from './serve-workers.js';

/** `--ws` reads these (ws-serve.ts). */
const WS_ENV_HELP = [
  { name: 'WECOM_AIBOT_ID', description: 'serve --ws: the smart robot BotID' },
  { name: 'WECOM_AIBOT_SECRET', description: 'serve --ws: its long-connection Secret' },
  { name: 'WECOM_AIBOT_WS_URL', description: 'serve --ws: the endpoint (default wss://openws.work.weixin.qq.com)' },
];

interface ServeOptions {
  port?: string;
  host?: string;
  config?: string;
  jobs: boolean;
  allowEmpty?: boolean;
  ws?: boolean;
  workers?: string;
}

/**
 * `wecombot serve`: the bot as an HTTP server. Without a config (or with no bots in it) the
 * built-in diagnostic bot answers, so a freshly configured callback URL can be checked.
 */
export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('run the bot as an HTTP server: GET/POST /wecom/callback, POST /wecom/aibot, GET /healthz')
    .option('-p, --port <port>', 'port (default: config server.port, PORT, or 3000)')
    .option('-H, --host <host>', 'address to bind (default: config server.host or 127.0.0.1)')
    .option('-c, --config <path>', 'config file (default: wecombot.config.(ts|js|json) in the current directory)')
    .option('--no-jobs', 'do not run scheduled jobs in this process')
    .option('--ws', 'connect over the smart robot long connection instead of serving HTTP (WECOM_AIBOT_ID, WECOM_AIBOT_SECRET)')
    .option('--allow-empty', 'start even with no robot or corp app configured (every callback then answers 404)')
    .option('--workers <n>', 'processes answering on the port (node:cluster): a number, or auto for one per core (default 1)')
    .action(async (opts: ServeOptions) => {
      if (opts.ws) return (await import('../ws-serve.js')).serveLongConnectionCommand(opts);
      const worker = isServeWorker();
      // The primary of --workers N > 1 runs no bot: it forks N processes running this command.
      const workers = worker ? 1 : parseWorkers(opts.workers);
      if (workers > 1) return serveWorkers(workers, { jobs: opts.jobs });
      // One worker of several runs the scheduled jobs (serve-workers.ts).
      const runJobs = opts.jobs && (!worker || workerRunsJobs());
      const { config, path } = await loadConfig({ path: opts.config });
      const port = Number(opts.port ?? config.server?.port ?? process.env.PORT ?? 3000);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new WecombotError('cli_usage', `--port ${opts.port ?? config.server?.port ?? process.env.PORT} is not a port number`, {
          hint: 'give 0-65535 (0: any free port)',
        });
      }
      const host = opts.host ?? config.server?.host ?? '127.0.0.1';
      const bot = await createBotFromConfig(config, { runtime: 'node' });
      // Fail fast: without secrets every callback would answer 404 bot_robot_not_configured.
      if (bot.robots.length === 0 && !bot.options.corp && !opts.allowEmpty) {
        const store = await bot.store();
        await bot.close();
        await store.close();
        throw noRobotError();
      }
      const server = await serveNode(bot, { port, host });
      if (runJobs) await bot.startJobs();
      bot.log.info(
        {
          url: server.url,
          config: path ?? null,
          robots: bot.robots,
          modules: bot.modules,
          jobs: runJobs ? await bot.nextRuns() : {},
        },
        `wecombot listening on ${server.url} (callback ${bot.options.paths.callback}, aibot ${bot.options.paths.aibot}, health ${bot.options.paths.health})`,
      );
      if (bot.robots.length === 0 && !bot.options.corp) bot.log.warn(`--allow-empty: ${noRobotError().describe()}`);
      // Ctrl-C exits 130, SIGTERM 0, both after the late replies (interrupt.ts).
      await new Promise<void>((resolve) => {
        const off = onStopSignal(() => {
          bot.log.info('shutting down: finishing late replies');
          const done = () => (off(), resolve());
          void server.close().then(done, done);
        });
      });
      // A worker's channel to the primary would keep it alive once the server has closed.
      if (worker) process.disconnect?.();
    });
  withEnv(command, [
    ...ENV_HELP.robots,
    ...ENV_HELP.corpApp,
    ...ENV_HELP.store,
    ...ENV_HELP.webhook,
    ENV_HELP.port,
    ENV_HELP.logLevel,
    ...WS_ENV_HELP,
  ]);
}

/** What to set when no robot is configured: the pairs, where they come from, and the way out. */
function noRobotError(): WecombotError {
  return new WecombotError(
    'cli_usage',
    'no robot configured: set WECOM_TOKEN and WECOM_ENCODING_AES_KEY (group robot), or WECOM_AIBOT_TOKEN and WECOM_AIBOT_ENCODING_AES_KEY (smart robot), or WECOM_CORP_ID, WECOM_CORP_TOKEN and WECOM_CORP_ENCODING_AES_KEY (corp app)',
    { hint: "the Token and EncodingAESKey are on the robot's 接收消息配置 page; pass --allow-empty to start without them" },
  );
}
