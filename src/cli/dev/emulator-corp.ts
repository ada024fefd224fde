/**
 * The corp side of `wecombot dev`: the fake corp API (tokens, WelcomeCodes, customers, groups)
 * and the corp app callbacks the test kit signs and encrypts (receiveid = the fake's corpid),
 * sent over HTTP to the running callback server. `/customer` and `/join` fire "a new customer
 * added staff X" and "customer Y joined group Z", and print what the bot did about them.
 */
import { randomBytes } from 'node:crypto';
import type { Bot } from '../../bot/bot.js';
import type { EmulatorCommand } from '../../bot/emulator.js';
import type { CorpAppOptions } from '../../bot/corp/options.js';
import { CORP_ENV } from '../../corp/env.js';
import { startFakeCorp } from '../../testing/fake-corp/server.js';
import { createTestCorp, type CorpExchange, type TestCorp } from '../../testing/fake-corp/test-corp.js';
import type { FakeCorp } from '../../testing/fake-corp/types.js';
import { randomSecrets } from '../../testing/fake-group/group.js';

/** The fake corp and the corp app secrets the emulator gives the bot. */
export interface DevCorp {
  fake: FakeCorp;
  /** `createBot({ corp })` for the demo bot. */
  app: CorpAppOptions;
  /** WECOM_CORP_* for a config bot (createBotFromConfig reads them). */
  env: Record<string, string>;
}

/** Starts the fake corp API and makes up the app's callback secrets. */
export async function startDevCorp(): Promise<DevCorp> {
  const fake = await startFakeCorp();
  const callback = randomSecrets();
  const app: CorpAppOptions = { corpId: fake.corpId, secret: fake.secret, baseUrl: fake.baseUrl, ...callback };
  const env = {
    [CORP_ENV.corpId]: fake.corpId,
    [CORP_ENV.token]: callback.token,
    [CORP_ENV.encodingAesKey]: callback.encodingAesKey,
    [CORP_ENV.secret]: fake.secret,
    [CORP_ENV.apiBase]: fake.baseUrl,
  };
  return { fake, app, env };
}

/**
 * The corp ChatId of the emulator's customer group: `/join` joins it by default, the web page's
 * first group (g1) is that group, and the demo's welcome bot welcomes there.
 */
export const DEV_CUSTOMER_GROUP = 'wrDEVGROUP';

const newId = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

/** The corp events the emulator fires, with what came of them. */
export class EmulatorCorp {
  readonly #corp: TestCorp;
  readonly #fake: FakeCorp;
  readonly #bot: Bot;
  #seenWelcomes = 0;

  constructor(bot: Bot, dev: DevCorp, serverUrl: string) {
    this.#bot = bot;
    this.#fake = dev.fake;
    this.#corp = createTestCorp(bot, { fake: dev.fake, url: serverUrl });
  }

  /** `/customer` and `/join`. */
  commands(): EmulatorCommand[] {
    return [
      {
        name: 'customer',
        usage: '<staff> [external_userid] [state]',
        description: 'a new customer adds staff member <staff> (customer:add, with a 20-second WelcomeCode)',
        run: async (args, emulator) => {
          const [staff, externalUserId = newId('wm'), state] = args.split(/\s+/).filter(Boolean);
          if (!staff) return emulator.print('! /customer takes the staff userid, e.g. /customer zhangsan');
          const ex = await this.#corp.customerAdded({ userId: staff, externalUserId, welcome: true, ...(state && { state }) });
          emulator.print(this.#answer(ex, `customer:add ${externalUserId} → staff ${staff}${state ? ` (state ${state})` : ''}`));
          for (const line of await this.#welcomes()) emulator.print(line);
        },
      },
      {
        name: 'join',
        usage: '<external_userid> [chat_id]',
        description: 'a customer joins a customer group (group:join, add_member)',
        run: async (args, emulator) => {
          const [member, chatId = DEV_CUSTOMER_GROUP] = args.split(/\s+/).filter(Boolean);
          if (!member) return emulator.print('! /join takes the customer, e.g. /join wmCustomer wrGroup');
          const ex = await this.#corp.customerJoinedGroup({ chatId, memberIds: [member], joinScene: 3 });
          emulator.print(this.#answer(ex, `group:join ${member} → group ${chatId}`));
          await this.#bot.idle();
        },
      },
    ];
  }

  #answer(ex: CorpExchange, what: string): string {
    return ex.status === 200
      ? `(corp callback ${what}: answered ${ex.body || 'an empty 200'})`
      : `! corp callback ${what}: HTTP ${ex.status} ${ex.body.trim()}`;
  }

  /** The welcomes the fake accepted since the last call, once the bot's work is done. */
  async #welcomes(): Promise<string[]> {
    await this.#bot.idle();
    const fresh = this.#fake.welcomes().slice(this.#seenWelcomes);
    this.#seenWelcomes += fresh.length;
    if (fresh.length === 0) return ['(no welcome was sent: a customer:add handler calls ctx.sendWelcome within 20 s)'];
    return fresh.map((w) => {
      const text = (w.body.text as { content?: string } | undefined)?.content;
      const attachments = Array.isArray(w.body.attachments)
        ? w.body.attachments.map((a) => (a as { msgtype?: string }).msgtype).join(', ')
        : '';
      return `bot (send_welcome_msg to ${w.externalUserId}) ›\n  ${text ?? ''}${attachments ? `\n  [attachments: ${attachments}]` : ''}`;
    });
  }
}
