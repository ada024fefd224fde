/**
 * A welcome bot between the fake WeCom (a group robot or an AI bot, really signed and
 * encrypted) and the fake corp API (corp callbacks with real one-shot WelcomeCodes), with its
 * log lines captured, so tests read like the chat and the operator's log.
 */
import { createBot, type Bot } from '../../../src/bot/bot.js';
import { createLogger } from '../../../src/bot/logger.js';
import type { BotModule } from '../../../src/bot/module.js';
import { welcome } from '../../../src/bots/welcome/module.js';
import type { WelcomeConfigInput } from '../../../src/bots/welcome/config.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestCorp, type TestCorp } from '../../../src/testing/fake-corp/test-corp.js';
import { startFakeCorp } from '../../../src/testing/fake-corp/server.js';
import type { FakeCorp } from '../../../src/testing/fake-corp/types.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../../src/testing/fake-wecom/types.js';
import type { WebhookMessage } from '../../../src/protocol/message/types.js';

export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** Webhooks the options may name: the group's robot and the ops robot. */
export interface RigUrls {
  groupWebhook: string;
  opsWebhook: string;
}

export interface RigOptions {
  store?: Store;
  robot?: 'group' | 'aibot';
  chatId?: string;
  chatType?: 'group' | 'single';
  /** Share fakes between rigs (two instances). */
  fakes?: { wecom: FakeWecom; corp: FakeCorp; groupKey: string; opsKey: string };
  /** Modules installed before the welcome bot (e.g. one that answers first). */
  before?: BotModule[];
  /** The same robot and corp app secrets for two instances. */
  secrets?: { robot: ReturnType<typeof randomSecrets>; corp: ReturnType<typeof randomSecrets> };
}

export interface Rig {
  bot: Bot;
  group: TestGroup;
  corp: TestCorp;
  fakeCorp: FakeCorp;
  fakeWecom: FakeWecom;
  store: Store;
  urls: RigUrls;
  logs: LogLine[];
  /** Log lines whose msg contains `text`. */
  logged(text: string): LogLine[];
  /** What the bot pushed through the ops robot (alerts). */
  opsPushes(): WebhookMessage[];
  /** Texts of the welcomes the fake corp accepted (send_welcome_msg). */
  welcomeTexts(): string[];
  close(): Promise<void>;
}

export async function welcomeRig(options: (urls: RigUrls) => WelcomeConfigInput, rig: RigOptions = {}): Promise<Rig> {
  const fakeWecom = rig.fakes?.wecom ?? (await startFakeWecom());
  const fakeCorp = rig.fakes?.corp ?? (await startFakeCorp());
  const groupKey = rig.fakes?.groupKey ?? fakeWecom.newKey();
  const opsKey = rig.fakes?.opsKey ?? fakeWecom.newKey();
  const urls = { groupWebhook: fakeWecom.webhookUrl(groupKey), opsWebhook: fakeWecom.webhookUrl(opsKey) };
  const store = rig.store ?? (await openStore({ databaseUrl: 'memory:' }));
  const logs: LogLine[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const robot = rig.robot ?? 'group';
  const secrets = rig.secrets ?? { robot: randomSecrets(), corp: randomSecrets() };
  const bot = createBot({
    [robot]: secrets.robot,
    corp: { corpId: fakeCorp.corpId, secret: fakeCorp.secret, baseUrl: fakeCorp.baseUrl, ...secrets.corp },
    store,
    logger,
  });
  for (const m of rig.before ?? []) await bot.install(m);
  await bot.install(welcome(options(urls)));
  const group = await createTestGroup(bot, {
    fake: fakeWecom,
    robot,
    webhookUrl: urls.groupWebhook,
    ...(rig.chatId && { chatId: rig.chatId }),
    ...(rig.chatType && { chatType: rig.chatType }),
  });
  const corp = createTestCorp(bot, { fake: fakeCorp });
  return {
    bot,
    group,
    corp,
    fakeCorp,
    fakeWecom,
    store,
    urls,
    logs,
    logged: (text) => logs.filter((l) => l.msg.includes(text)),
    opsPushes: () => fakeWecom.accepted(opsKey).map((r) => r.body as WebhookMessage),
    welcomeTexts: () => fakeCorp.welcomes().map((w) => (w.body.text as { content?: string } | undefined)?.content ?? ''),
    async close() {
      await group.close();
      await bot.close();
      if (!rig.store) await store.close();
      if (!rig.fakes) {
        await fakeWecom.close();
        await fakeCorp.close();
      }
    },
  };
}
