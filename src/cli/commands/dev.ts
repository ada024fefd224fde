import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { WecombotError } from '../../errors.js';
import { useColor } from '../color.js';
import { readTextFileArg } from '../file-arg.js';
import { ENV_HELP, withEnv } from '../help-env.js';
import { onStopSignal } from '../interrupt.js';

interface DevOptions {
  config?: string;
  script?: string;
  city?: string;
  port?: string;
  color?: boolean;
  offline?: boolean;
  web?: boolean;
  webPort?: string;
  ws?: boolean;
}

/**
 * `wecombot dev` (what `npm start` runs): the local emulator running the user's config (or,
 * without one, the demo bots) and an interactive terminal chat; `--script FILE` plays a chat
 * non-interactively.
 */
export function registerDevCommand(program: Command): void {
  const command = program
    .command('dev')
    .description(
      'run the local emulator: fake WeCom, the callback server with your wecombot.config.* (its modules and setup; without a config the demo bots notifier and kb-search), SQLite in .wecombot/, terminal chat',
    )
    .option('-c, --config <path>', 'config file (default: wecombot.config.(ts|js|json) in the current directory; none: the demo)')
    .option('--script <file>', 'play the lines of FILE (- for stdin) as chat input, then exit (lines starting with # are comments)')
    .option('--city <name>', 'city of the weather demo', undefined)
    .option('-p, --port <port>', 'callback server port (default: any free port)')
    .option('--offline', 'weather demo: use the bundled offline sample instead of Open-Meteo')
    .option('--ws', 'the terminal chat over a fake smart-robot long connection (what serve --ws talks to)')
    .option('--web', 'the emulator in the browser: a local page (loopback only) with groups, members, cards, the inspector and transcripts')
    .option('--web-port <port>', 'with --web: the page port (default: any free port), e.g. to keep the page open across restarts')
    .option('--no-color', 'plain output without ANSI colours (also NO_COLOR, or when stdout is not a terminal)')
    .addHelpText(
      'after',
      '\nIn the chat, type as a group member; /as alice acts as another member, /click N clicks a button of the last reply,\n/robot aibot talks to the AI bot, /help lists every command (modules may add their own).',
    )
    .action(async (opts: DevOptions) => {
      let lines: string[] | undefined;
      if (opts.script) {
        try {
          lines = (await readTextFileArg(opts.script, '--script')).split(/\r?\n/);
        } catch (cause) {
          if (!(cause instanceof WecombotError) || cause.code !== 'cli_read') throw cause;
          throw new WecombotError('dev_script_unreadable', cause.message, {
            cause,
            hint: 'give a text file with one chat line per line, or - and pipe the lines in',
          });
        }
      }
      const port = opts.port === undefined ? 0 : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new WecombotError('dev_bad_port', `--port ${opts.port} is not a port number`);
      const webPort = opts.webPort === undefined ? 0 : Number(opts.webPort);
      if (!Number.isInteger(webPort) || webPort < 0 || webPort > 65535)
        throw new WecombotError('dev_bad_port', `--web-port ${opts.webPort} is not a port number`);
      if (opts.ws) return (await import('../dev/ws-emulator.js')).runWsEmulator({ configPath: opts.config, lines });
      // A transcript saved by the web page is played headless and checked (a transcript is a test).
      const transcript = lines !== undefined && (await import('../dev/web/transcript.js')).isTranscript(lines.join('\n'));
      if (opts.web || transcript) {
        const web = await import('../dev/web/dev-web.js');
        const options = { configPath: opts.config, city: opts.city, port, offlineWeather: opts.offline === true };
        if (lines && transcript) {
          process.exitCode = await web.replayTranscriptScript(lines.join('\n'), opts.script ?? 'transcript', options);
          return;
        }
        return web.runWebDev({ ...options, webPort });
      }
      // Loaded here so other commands never pay for the emulator's imports.
      const { startDevSession } = await import('../dev/session.js');
      const session = await startDevSession({
        configPath: opts.config,
        city: opts.city,
        port,
        offlineWeather: opts.offline === true,
        color: !lines && useColor(process.stdout, opts.color),
      });
      // Ctrl-C (at the prompt, where readline catches it, or as a signal) ends the chat and exits 130.
      let interrupted = false;
      const rl = lines ? undefined : createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
      const off = onStopSignal(() => {
        interrupted = true;
        rl?.close();
      });
      rl?.on('SIGINT', () => process.emit('SIGINT'));
      try {
        if (lines) {
          for (const line of lines) if (interrupted || !(await session.input(line))) break;
          return;
        }
        rl!.prompt();
        for await (const line of rl!) {
          if (!(await session.input(line))) break;
          rl!.prompt();
        }
        rl!.close();
      } finally {
        off();
        await session.close();
      }
    });
  withEnv(command, [
    ...ENV_HELP.robots,
    ...ENV_HELP.corpApp,
    ...ENV_HELP.store,
    ...ENV_HELP.webhook,
    { name: 'WECOMBOT_DEV_CITY', description: 'city of the weather demo (as --city)' },
    { name: 'WECOMBOT_LOG_LEVEL', description: 'log level of the bot in the chat (default warn)' },
    ...ENV_HELP.color,
  ]);
}
