/**
 * `wecombot dev`: the whole system on one machine. A fake WeCom API server, the callback server
 * with the user's bot (the `wecombot.config.*` found, its modules and setup) or, without a
 * config, the demo bots; a local SQLite store; and a terminal chat. What you type goes through
 * the real pipeline: signed, encrypted, over HTTP to the callback server; replies are decrypted
 * and printed, with their buttons.
 */
import { join } from 'node:path';
import type { Bot } from '../../bot/bot.js';
import type { EmulatorCommand } from '../../bot/emulator.js';
import { ENV, readEnv } from '../../config/env.js';
import { loadConfig } from '../../config/load.js';
import { serveNode, type NodeServer } from '../../runtime/node.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { randomSecrets } from '../../testing/fake-group/group.js';
import { startFakeWecom } from '../../testing/fake-wecom/server.js';
import type { FakeWecom } from '../../testing/fake-wecom/types.js';
import { chatCommands, type ChatCommands } from './chat-commands.js';
import { createConfigBot } from './config-bot.js';
import { createDemoBot } from './demo-bot.js';
import { devDataDir } from './demo-kb.js';
import { EmulatorCorp, startDevCorp, type DevCorp } from './emulator-corp.js';
import { EmulatorChat } from './emulator-chat.js';
import { renderMarkdownForTerminal } from './render-terminal.js';
import { terminalLogger } from './terminal-logger.js';

export interface DevSessionOptions {
  /** Where the config is looked for and `.wecombot/` goes. */
  cwd?: string;
  /** The config file (`-c`); default: `wecombot.config.*` in `cwd`, else the demo. */
  configPath?: string;
  /** Docs to index for the demo knowledge base; default the package's docs/. */
  docsDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** ANSI colours in the output. */
  color?: boolean;
  /** City of the weather demo. */
  city?: string;
  /** Skip the real weather provider and use the bundled offline sample. */
  offlineWeather?: boolean;
  /** Callback server port (0 = any free port). */
  port?: number;
  /** Where output lines go. */
  print?: (line: string) => void;
}

export interface DevSession {
  /** `fake` (local emulator) or `real` (WECOM_* set: real secrets, real webhook). */
  readonly mode: 'fake' | 'real';
  /** `config` (the user's bot) or `demo` (no config found). */
  readonly source: 'config' | 'demo';
  readonly callbackUrl: string;
  readonly bot: Bot;
  /** Handles one typed line: a message to the bot, or a `/command`. Resolves false on `/quit`. */
  input(line: string): Promise<boolean>;
  close(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The store of WECOMBOT_DATABASE_URL / WECOMBOT_REDIS_URL when set, else `.wecombot/dev.db`. */
async function devStore(env: Env, dataDir: string): Promise<{ store: Store; label: string }> {
  const databaseUrl = env.WECOMBOT_DATABASE_URL?.trim();
  const redisUrl = env.WECOMBOT_REDIS_URL?.trim();
  if (databaseUrl || redisUrl) {
    const store = await openStore({
      databaseUrl: databaseUrl || undefined,
      redisUrl: redisUrl || undefined,
      namespace: env.WECOMBOT_STORE_NAMESPACE || undefined,
    });
    return { store, label: `the store of ${databaseUrl ? ENV.databaseUrl : ENV.redisUrl}` };
  }
  const file = join(dataDir, 'dev.db');
  return { store: await openStore({ databaseUrl: `sqlite:${file}` }), label: `SQLite ${file}` };
}

/**
 * The pieces every emulator front end shares (the terminal chat here, the web page in
 * ./web/): fake WeCom, fake corp, the store, the user's bot (or the demo) behind the real
 * callback server. `stops` stop them again, in reverse order of the start.
 */
export interface DevRuntime {
  real: boolean;
  source: 'config' | 'demo';
  bot: Bot;
  server: NodeServer;
  fake: FakeWecom;
  devCorp: DevCorp;
  corp: EmulatorCorp;
  /** The webhook URL the bot's jobs push to (and the first chat's callbacks carry). */
  webhookUrl: string;
  store: Store;
  storeLabel: string;
  banner: string[];
  /** The demo's and the corp's emulator commands, then the modules'. */
  commands: EmulatorCommand[];
  stops: (() => Promise<void>)[];
}

/** Starts the shared pieces; on failure, what was started is stopped again. */
export async function startDevRuntime(options: DevSessionOptions = {}): Promise<DevRuntime> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = devDataDir(cwd);
  const loaded = await loadConfig({ cwd, path: options.configPath });
  // Real mode needs the robot's secrets and webhook; otherwise the emulator makes up secrets
  // for both robot kinds and plays WeCom.
  const settings = readEnv(env);
  const real =
    settings.group && settings.webhookUrl ? { group: settings.group, aibot: settings.aibot, webhookUrl: settings.webhookUrl } : undefined;
  const group = real?.group ?? randomSecrets();
  const aibot = real ? real.aibot : randomSecrets();
  const secrets = [group.token, group.encodingAesKey, aibot?.token, aibot?.encodingAesKey].filter((s): s is string => Boolean(s));
  const logger = terminalLogger(print, env.WECOMBOT_LOG_LEVEL, secrets);

  // Each started piece is stopped again, in reverse order, if a later one fails.
  const stops: (() => Promise<void>)[] = [];
  try {
    const fake = await startFakeWecom();
    stops.unshift(() => fake.close());
    // The corp side is always the fake corp API, with made-up app secrets: /customer and /join.
    const devCorp = await startDevCorp();
    stops.unshift(() => devCorp.fake.close());
    const webhookUrl = real?.webhookUrl ?? fake.webhookUrl(fake.newKey());
    const { store, label: storeLabel } = await devStore(env, dataDir);
    stops.unshift(() => store.close());

    let bot: Bot;
    let banner: string[];
    let extra: readonly EmulatorCommand[] = [];
    if (loaded.path) {
      const emulatorEnv: Env = {
        ...env,
        [ENV.token]: group.token,
        [ENV.aesKey]: group.encodingAesKey,
        [ENV.aibotToken]: aibot?.token,
        [ENV.aibotAesKey]: aibot?.encodingAesKey,
        [ENV.webhookUrl]: webhookUrl,
        ...devCorp.env,
      };
      ({ bot, banner } = await createConfigBot({ ...loaded, path: loaded.path }, { env: emulatorEnv, store, logger }));
    } else {
      const city = options.city ?? env.WECOMBOT_DEV_CITY ?? '北京';
      const demo = await createDemoBot({
        group,
        ...(aibot ? { aibot } : {}),
        webhookUrl,
        corp: devCorp.app,
        store,
        logger,
        dataDir,
        ...(options.docsDir ? { docsDir: options.docsDir } : {}),
        city,
        offlineWeather: options.offlineWeather === true,
        realWebhook: real !== undefined,
      });
      ({ bot, banner } = demo);
      extra = demo.commands;
    }
    const closeBot = () => bot.close();
    stops.unshift(closeBot);
    const server: NodeServer = await serveNode(bot, { port: options.port ?? 0, host: '127.0.0.1' });
    stops.splice(stops.indexOf(closeBot), 1, () => server.close()); // closing the server closes the bot
    const corp = new EmulatorCorp(bot, devCorp, server.url);
    banner.push(`corp app: fake corp API ${devCorp.fake.baseUrl}, callbacks at ${server.url}${bot.options.paths.corp} (/customer, /join)`);
    return {
      real: real !== undefined,
      source: loaded.path ? 'config' : 'demo',
      bot,
      server,
      fake,
      devCorp,
      corp,
      webhookUrl,
      store,
      storeLabel,
      banner,
      commands: [...extra, ...corp.commands(), ...bot.emulatorCommands()],
      stops,
    };
  } catch (err) {
    for (const stop of stops) await stop().catch(() => {});
    throw err;
  }
}

/** Starts everything with the terminal chat; `close()` stops it. */
export async function startDevSession(options: DevSessionOptions = {}): Promise<DevSession> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const render = (md: string) => renderMarkdownForTerminal(md, { color: options.color ?? false });
  const rt = await startDevRuntime({ ...options, print });
  const { bot, server, fake, webhookUrl, stops } = rt;
  try {
    const chat = await EmulatorChat.start({ bot, fake, serverUrl: server.url, webhookUrl, print, render });
    stops.unshift(() => chat.close());
    const commands = chatCommands(chat, rt.commands, print);
    return present({
      real: rt.real,
      source: rt.source,
      bot,
      server,
      fakeUrl: fake.baseUrl,
      storeLabel: rt.storeLabel,
      banner: rt.banner,
      chat,
      commands,
      print,
      stops,
    });
  } catch (err) {
    for (const stop of stops) await stop().catch(() => {});
    throw err;
  }
}

/** Prints the start banner and returns the session's input loop. */
function present(s: {
  real: boolean;
  source: 'config' | 'demo';
  bot: Bot;
  server: NodeServer;
  fakeUrl: string;
  storeLabel: string;
  banner: string[];
  chat: EmulatorChat;
  commands: ChatCommands;
  print: (line: string) => void;
  stops: (() => Promise<void>)[];
}): DevSession {
  const { bot, server, chat, commands, print } = s;
  print(
    s.real
      ? `wecombot dev — REAL WeCom mode (WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_WEBHOOK_URL are set)\n` +
          `callback server: ${server.url}${bot.options.paths.callback} (expose it and paste it into the robot's 接收消息配置)`
      : `wecombot dev — local emulator: fake WeCom API ${s.fakeUrl}, callback server ${server.url}${bot.options.paths.callback}, ${s.storeLabel}`,
  );
  for (const line of s.banner) print(line);
  print(commands.help());

  return {
    mode: s.real ? 'real' : 'fake',
    source: s.source,
    callbackUrl: `${server.url}${bot.options.paths.callback}`,
    bot,
    async input(line: string) {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return true;
      print(`${chat.userId} › ${text}`);
      if (text === '/quit' || text === '/exit') return false;
      try {
        if (text === '/help') print(commands.help());
        else if (!text.startsWith('/')) await chat.says(text);
        else if (!(await commands.run(text))) print(`unknown command ${text.split(/\s/)[0]}; /help lists them`);
      } catch (err) {
        // A command that fails (an unknown robot, a module command's bug) must not end the session.
        print(`! ${err instanceof Error ? err.message : String(err)}`);
      }
      return true;
    },
    async close() {
      // Chat, server (and with it the bot), store, fake: the reverse of the start.
      for (const stop of s.stops) await stop();
    },
  };
}
