/**
 * `wecombot dev`: the whole system on one machine. A fake WeCom API server, the callback
 * server with the notifier and kb-search bots, SQLite storage and a demo knowledge base built
 * from the project's docs. What you type goes through the real pipeline: signed, encrypted,
 * over HTTP to the callback server; replies are decrypted and printed.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createBot, type Bot } from '../../bot/bot.js';
import { messageText } from '../../bot/reply-content.js';
import { kbSearch } from '../../bots/kb-search/module.js';
import { notifier } from '../../bots/notifier/module.js';
import { offlineSample } from '../../bots/notifier/weather/offline-sample.js';
import { openMeteo } from '../../bots/notifier/weather/open-meteo.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import { serveNode, type NodeServer } from '../../runtime/node.js';
import { openStore } from '../../store/open.js';
import { groupCallbackXml } from '../../testing/fake-group/callbacks.js';
import { CallbackSigner, type PassiveReply } from '../../testing/fake-group/signer.js';
import { randomSecrets } from '../../testing/fake-group/group.js';
import { startFakeWecom } from '../../testing/fake-wecom/server.js';
import type { FakeWecom } from '../../testing/fake-wecom/types.js';
import { buildDemoKnowledgeBase, devDataDir, packagedDocsDir } from './demo-kb.js';
import { withOfflineFallback } from './fallback-weather.js';
import { renderMarkdownForTerminal } from './render-terminal.js';

export interface DevSessionOptions {
  /** Where `.wecombot/` goes. */
  cwd?: string;
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
  readonly callbackUrl: string;
  readonly bot: Bot;
  /** Handles one typed line: a message to the bot, or a `/command`. Resolves false on `/quit`. */
  input(line: string): Promise<boolean>;
  close(): Promise<void>;
}

const HELP = [
  '输入消息即以群成员身份 @机器人（Type a message to @-mention the bot）:',
  '  如何部署到 SCF        知识库搜索 (kb-search)',
  '  ping                  连通测试',
  '  /weather              立即执行天气推送任务 (run the notifier job now)',
  '  /help                 this help;  /quit  exit',
].join('\n');

/** Starts everything; `close()` stops it. */
export async function startDevSession(options: DevSessionOptions = {}): Promise<DevSession> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const color = options.color ?? false;
  const dataDir = devDataDir(options.cwd);
  const render = (md: string) => renderMarkdownForTerminal(md, { color });
  const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

  const realSecrets = env.WECOM_TOKEN && env.WECOM_ENCODING_AES_KEY ? { token: env.WECOM_TOKEN, encodingAesKey: env.WECOM_ENCODING_AES_KEY } : undefined;
  const mode: 'fake' | 'real' = realSecrets && env.WECOM_WEBHOOK_URL ? 'real' : 'fake';
  let fake: FakeWecom | undefined;
  let webhookUrl: string;
  let secrets = randomSecrets();
  let key = '';
  if (mode === 'real') {
    secrets = realSecrets!;
    webhookUrl = env.WECOM_WEBHOOK_URL!;
  } else {
    fake = await startFakeWecom();
    key = fake.newKey();
    webhookUrl = fake.webhookUrl(key);
  }

  const kbFile = join(dataDir, 'demo-kb.idx');
  const stats = await buildDemoKnowledgeBase(options.docsDir ?? packagedDocsDir(), kbFile);
  const store = await openStore({ databaseUrl: `sqlite:${join(dataDir, 'dev.db')}` });

  let weatherNote: string | undefined;
  const city = options.city ?? env.WECOMBOT_DEV_CITY ?? '北京';
  const bot = createBot({ group: secrets, webhookUrl, store, logLevel: (env.WECOMBOT_LOG_LEVEL as 'info' | undefined) ?? 'silent' });
  bot.catch((err) => print(`! handler error: ${err.describe()}`));
  bot.hears(/^ping$/i, (ctx) => ctx.reply('pong'));
  await bot.install(
    notifier({
      name: 'notifier',
      weather: { provider: 'open-meteo', location: { city } },
      retry: { attempts: 1, backoffMs: 0 },
      deps: {
        weatherProvider: options.offlineWeather
          ? offlineSample()
          : withOfflineFallback(openMeteo(), offlineSample(), (reason) => {
              weatherNote = `Open-Meteo unreachable (${reason}); using the bundled offline sample (note: not a real forecast)`;
            }),
      },
    }),
  );
  await bot.install(kbSearch({ source: kbFile, examples: ['部署 SCF', '45009 限流', 'deploy lambda'] }));
  const server: NodeServer = await serveNode(bot, { port: options.port ?? 0, host: '127.0.0.1' });

  const signer = new CallbackSigner(secrets);
  const chatId = `wr${randomBytes(6).toString('hex')}`;
  let seenPushes = 0;
  let seq = 0;

  function printNewPushes(): void {
    if (!fake) return;
    const pushes = fake.accepted(key);
    for (const request of pushes.slice(seenPushes)) {
      const message = request.body as WebhookMessage;
      print(`bot (webhook push, ${message.msgtype}) ›\n${indent(render(messageText(message) ?? `[${message.msgtype}]`))}`);
    }
    seenPushes = pushes.length;
  }

  function printReply(reply: PassiveReply | undefined, ms: number): void {
    if (!reply) return print(`bot (no passive reply after ${ms} ms; any answer follows by webhook)`);
    print(`bot (passive reply, ${reply.msgtype}, ${ms} ms) ›\n${indent(render(reply.content ?? ''))}`);
  }

  async function say(text: string): Promise<void> {
    const msgId = `dev${Date.now().toString(36)}${(++seq).toString(36)}`;
    const plaintext = groupCallbackXml(
      { msgId, webhookUrl, chatId, chatType: 'group', from: { userId: 'you', name: '你' } },
      { kind: 'text', content: `@bot ${text}` },
    );
    const request = signer.post(bot.options.paths.callback, plaintext, 'xml');
    const started = performance.now();
    const res = await fetch(`${server.url}${request.path}?${request.rawQuery}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(request.body),
    });
    const body = await res.text();
    const ms = Math.round(performance.now() - started);
    if (res.status !== 200) return print(`! callback answered HTTP ${res.status}: ${body}`);
    printReply(signer.openReply({ body }, request), ms);
    await bot.idle();
    printNewPushes();
  }

  async function weather(): Promise<void> {
    weatherNote = undefined;
    const result = await bot.runJob('notifier'); // no fire time: run now
    if (weatherNote) print(`(${weatherNote})`);
    if (result.status === 'failed') print(`! notifier failed: ${result.error.describe()}`);
    if (result.status === 'skipped') print(`(notifier skipped: ${result.reason})`);
    await bot.idle();
    printNewPushes();
    if (mode === 'real' && result.status === 'ran') print('(pushed to your real WeCom group)');
  }

  print(
    mode === 'real'
      ? `wecombot dev — REAL WeCom mode (WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_WEBHOOK_URL are set)\n` +
          `callback server: ${server.url}${bot.options.paths.callback} (expose it and paste it into the robot's 接收消息配置)`
      : `wecombot dev — local emulator: fake WeCom API ${fake!.baseUrl}, callback server ${server.url}${bot.options.paths.callback}, SQLite ${join(dataDir, 'dev.db')}`,
  );
  print(`demo knowledge base: ${stats.pages} pages, ${stats.sections} sections, ${stats.terms} terms from docs/ (${stats.ms} ms)`);
  print(HELP);

  return {
    mode,
    callbackUrl: `${server.url}${bot.options.paths.callback}`,
    bot,
    async input(line: string) {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return true;
      print(`you › ${text}`);
      if (text === '/quit' || text === '/exit') return false;
      if (text === '/help') print(HELP);
      else if (text === '/weather') await weather();
      else if (text.startsWith('/')) print(`unknown command ${text}; /help lists them`);
      else await say(text);
      return true;
    },
    async close() {
      await server.close(); // also closes the bot
      await store.close();
      await fake?.close();
    },
  };
}
