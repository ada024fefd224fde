/**
 * The demo `wecombot dev` runs when the project has no config (a fresh clone, `npm start`):
 * the notifier (weather push), kb-search on a knowledge base built from the package's own docs,
 * the faq bot on the package's FAQ page, the signup bot, the welcome bot with a demo coupon
 * pool, plus `ping`. `/weather` runs the notifier job now.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBot, type Bot } from '../../bot/bot.js';
import type { EmulatorCommand } from '../../bot/emulator.js';
import type { Logger } from '../../bot/logger.js';
import type { CorpAppOptions } from '../../bot/corp/options.js';
import type { RobotSecrets } from '../../bot/options.js';
import { faq } from '../../bots/faq/module.js';
import { kbSearch } from '../../bots/kb-search/module.js';
import { signup } from '../../bots/signup/module.js';
import { leadsDemoOptions } from '../../bots/leads/emulator.js';
import { leads } from '../../bots/leads/module.js';
import { campaignsDemoOptions } from '../../bots/campaigns/emulator.js';
import { campaigns } from '../../bots/campaigns/module.js';
import { tags } from '../../bots/tags/module.js';
import { welcomeDemoOptions } from '../../bots/welcome/emulator.js';
import { welcome } from '../../bots/welcome/module.js';
import { notifier } from '../../bots/notifier/module.js';
import { offlineSample } from '../../bots/notifier/weather/offline-sample.js';
import { openMeteo } from '../../bots/notifier/weather/open-meteo.js';
import type { Store } from '../../store/store.js';
import { buildDemoKnowledgeBase, packagedDocsDir } from './demo-kb.js';
import { DEV_CUSTOMER_GROUP } from './emulator-corp.js';
import { withOfflineFallback } from './fallback-weather.js';

export interface DemoBotOptions {
  group: RobotSecrets;
  aibot?: RobotSecrets;
  webhookUrl: string;
  /** The corp app (the emulator's fake corp): new customers are welcomed. */
  corp?: CorpAppOptions;
  store: Store;
  logger: Logger;
  /** Where the demo index goes (`.wecombot/`). */
  dataDir: string;
  /** Docs to index; default the package's docs/. */
  docsDir?: string;
  city: string;
  /** Skip Open-Meteo and use the bundled offline sample. */
  offlineWeather: boolean;
  /** The webhook is a real robot's (real mode): pushes reach a real group. */
  realWebhook: boolean;
}

export interface DemoBot {
  bot: Bot;
  /** The demo's emulator commands (`/weather`). */
  commands: EmulatorCommand[];
  /** What to print at start: what the demo is made of. */
  banner: string[];
}

/** Builds the demo knowledge base and the demo bot. */
export async function createDemoBot(options: DemoBotOptions): Promise<DemoBot> {
  const kbFile = join(options.dataDir, 'demo-kb.idx');
  const stats = await buildDemoKnowledgeBase(options.docsDir ?? packagedDocsDir(), kbFile);
  let weatherNote: string | undefined;
  const bot = createBot({
    group: options.group,
    ...(options.aibot ? { aibot: options.aibot } : {}),
    webhookUrl: options.webhookUrl,
    ...(options.corp ? { corp: options.corp } : {}),
    store: options.store,
    logger: options.logger,
  });
  bot.hears(/^ping$/i, (ctx) => ctx.reply('pong'));
  // Tags first: every message records who spoke where (what campaigns deliver to); /campaign-demo.
  await bot.install(
    tags({
      staff: ['you'],
      behaviours: [
        { on: 'signup.joined', tag: '报过名' },
        { on: 'coupon.claimed', tag: '领过券' },
      ],
    }),
  );
  await bot.install(campaigns(campaignsDemoOptions()));
  // The welcome bot answers the emulator's /customer (customer:add, within the WelcomeCode's 20
  // seconds), a member's first @-message, and a customer joining the emulator's customer group
  // (/join, or a member added in the page's first group: group:join), with a coupon from a demo pool.
  await bot.install(welcome({ ...welcomeDemoOptions(), groups: { [DEV_CUSTOMER_GROUP]: { webhook: options.webhookUrl } } }));
  bot.on('group:join', (ctx) => ctx.log.info({ chatId: ctx.chatId, members: ctx.message.memberIds }, 'customers joined a customer group'));
  await bot.install(
    notifier({
      name: 'notifier',
      weather: { provider: 'open-meteo', location: { city: options.city } },
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
  // The package's own FAQ page answers first (catch-all priority), the knowledge base after it:
  // what the FAQ cannot answer passes on to kb-search (passOn, the default when a catch-all
  // follows), in groups and single chats.
  const faqPage = join(options.docsDir ?? packagedDocsDir(), 'zh', 'faq.md');
  if (existsSync(faqPage)) await bot.install(faq({ source: faqPage }));
  // You (the emulator's default member) are staff: `/活动 新建 …` works, and /signup-demo fills one up.
  await bot.install(signup({ staff: ['you'] }));
  // Leads posted into this chat (the demo's sales group); you are the manager: /leads-demo.
  await bot.install(leads(leadsDemoOptions(options.webhookUrl)));

  const weather: EmulatorCommand = {
    name: 'weather',
    description: '立即执行天气推送任务 (run the notifier job now)',
    async run(_args, emulator) {
      weatherNote = undefined;
      const result = await emulator.runJob('notifier');
      if (weatherNote) emulator.print(`(${weatherNote})`);
      if (options.realWebhook && result.status === 'ran') emulator.print('(pushed to your real WeCom group)');
    },
  };
  return {
    bot,
    commands: [weather],
    banner: [
      'no wecombot.config.* here: running the demo bots (notifier, kb-search, faq, signup, welcome, leads, tags, campaigns); write a config to run your own',
      `demo knowledge base: ${stats.pages} pages, ${stats.sections} sections, ${stats.terms} terms from docs/ (${stats.ms} ms)`,
      'try: 如何部署到 SCF · 为什么推送报 45009 · 报名 · /signup-demo · /faq-demo · /welcome-demo · /leads-demo · /campaign-demo · ping · /weather · /customer zhangsan',
    ],
  };
}
