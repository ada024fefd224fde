import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import { manualClock } from '../../src/bot/clock.js';
import { defineBotModule, isBotModule } from '../../src/bot/module.js';
import { createBotFromConfig } from '../../src/config/create.js';
import { openStore } from '../../src/store/index.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { dropPostgresNamespace } from '../store/cleanup.js';
import { testNamespace } from '../store/conformance.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

/** A catch-all module, like kb-search or an FAQ: answers any text. */
const catchAll = defineBotModule({
  name: 'catch-all',
  consumes: { catchAllText: true },
  setup(m) {
    m.on('text', (ctx) => ctx.reply(`kb: ${ctx.text}`));
  },
});

/** A specific module: one command. */
const signup = defineBotModule({
  name: 'signup',
  options: (o: { command?: string } = {}) => ({ command: o.command ?? '报名' }),
  consumes: { commands: ['报名', '取消'] },
  setup(m, options) {
    m.command(options.command, (ctx) => ctx.reply(`已报名 ${ctx.from.userId}`));
  },
});

describe('module contract v2: ordering', () => {
  it('a catch-all text module runs after every specific handler, whatever the order in bots', async () => {
    group = await createTestGroup({ bots: [catchAll(), signup()] });
    group.bot.command('own', (ctx) => ctx.reply('own handler'));
    expect((await group.member('a').says('@bot 报名')).reply?.content).toBe('已报名 a');
    expect((await group.member('a').says('@bot own')).reply?.content).toBe('own handler');
    expect((await group.member('a').says('@bot 怎么退款')).reply?.content).toBe('kb: 怎么退款');
  });

  it('among catch-all modules a higher priority answers first, then install order', async () => {
    const catchAllBy = (name: string, priority?: number) =>
      defineBotModule({
        name,
        consumes: { catchAllText: priority === undefined ? true : { priority } },
        setup: (m) => void m.on('text', (ctx) => ctx.reply(name)),
      });
    group = await createTestGroup({ bots: [catchAllBy('kb')(), catchAllBy('faq', 10)(), catchAllBy('other')()] });
    expect((await group.member('a').says('@bot 多少钱')).reply?.content).toBe('faq');
    await group.close();
    group = await createTestGroup({ bots: [catchAllBy('kb')(), catchAllBy('other')()] });
    expect((await group.member('a').says('@bot 多少钱')).reply?.content).toBe('kb');
  });

  it('a module that does not answer passes the message on after its own chain finished', async () => {
    const seen: string[] = [];
    const watcher = defineBotModule({
      name: 'watcher',
      setup(m) {
        m.use(async (ctx, next) => {
          seen.push(`watcher saw ${ctx.text}`);
          await next();
          seen.push('watcher done');
        });
      },
    });
    group = await createTestGroup({ bots: [watcher(), signup()] });
    await group.member('b').says('@bot 报名');
    expect(seen).toEqual(['watcher saw 报名', 'watcher done']);
  });
});

describe('module contract v2: conflicts and validation at start-up', () => {
  it('two modules claiming one command are refused, naming both', async () => {
    const other = defineBotModule({
      name: 'other-signup',
      consumes: { commands: ['/报名'] },
      setup: (m) => void m.command('报名', () => undefined),
    });
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(signup());
    await expect(bot.install(other())).rejects.toThrow(/"报名" is claimed by both signup and other-signup/);
    await bot.close();
  });

  it('two modules claiming one button namespace are refused, naming both', async () => {
    const a = defineBotModule({ name: 'vote-a', consumes: { buttons: ['vote'] } });
    const b = defineBotModule({ name: 'vote-b', consumes: { buttons: ['vote'] } });
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(a());
    await expect(bot.install(b())).rejects.toThrow(/namespace "vote" is claimed by both vote-a and vote-b/);
    await bot.close();
  });

  it('a factory instead of a module is refused with how to call it', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await expect(bot.install(signup as never)).rejects.toMatchObject({
      message: expect.stringContaining('module factory'),
      hint: expect.stringContaining('faq({ ... })'),
    });
    await bot.close();
  });

  it('the same module twice is refused', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(signup());
    await expect(bot.install(signup())).rejects.toThrow(/installed twice/);
    await bot.close();
  });

  it('a command the module did not declare is refused in its setup', async () => {
    const sneaky = defineBotModule({ name: 'sneaky', setup: (m) => void m.command('help', () => undefined) });
    const bot = createBot({ logLevel: 'silent' });
    await expect(bot.install(sneaky())).rejects.toThrow(/handles the command "help" without declaring it/);
    await bot.close();
  });

  it('options are validated when the factory is called; the error names the module and field', () => {
    const strict = defineBotModule({
      name: 'strict',
      options: (o: { limit: number }) => {
        if (!Number.isInteger(o.limit)) throw new TypeError('strict.limit must be a whole number');
        return o;
      },
    });
    expect(() => strict({ limit: 1.5 })).toThrow(/strict: strict\.limit must be a whole number/);
    expect(isBotModule(strict({ limit: 2 }))).toBe(true);
    expect(() => defineBotModule({ name: 'old', install: () => undefined } as never)).toThrow(/unknown field "install"/);
    expect(() => defineBotModule({ name: 'Bad Name' })).toThrow(/module name "Bad Name" is invalid/);
  });

  it('on FaaS without a shared store, a stateful module refuses to start and names WECOMBOT_DATABASE_URL', async () => {
    const stateful = defineBotModule({ name: 'stateful', session: { initial: () => ({}) } });
    const s = randomSecrets();
    const env = { WECOM_TOKEN: s.token, WECOM_ENCODING_AES_KEY: s.encodingAesKey };
    await expect(createBotFromConfig({ logLevel: 'silent', bots: [stateful()] }, { env, runtime: 'faas' })).rejects.toThrow(
      /stateful keeps state/,
    );
    await expect(createBotFromConfig({ logLevel: 'silent', bots: [stateful()] }, { env, runtime: 'faas' })).rejects.toMatchObject({
      hint: expect.stringContaining('WECOMBOT_DATABASE_URL'),
    });
    // A stateless module is fine there.
    const bot = await createBotFromConfig({ logLevel: 'silent', bots: [signup()] }, { env, runtime: 'faas' });
    await bot.close();
  });
});

describe('module contract v2: services', () => {
  it('kv keys and tables are namespaced per module', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const writers = ['alpha', 'beta'].map((name) =>
      defineBotModule({
        name,
        consumes: { commands: [`${name}-set`] },
        setup(m, _o, services) {
          expect(services.table('items')).toBe(`wecombot_${name}_items`);
          m.command(`${name}-set`, async (ctx) => {
            await services.kv.set('counter', name);
            await ctx.reply(`${name} set`);
          });
        },
      }),
    );
    group = await createTestGroup({ store, bots: writers.map((w) => w()) });
    await group.member('a').says('@bot alpha-set');
    await group.member('a').says('@bot beta-set');
    await group.settle();
    expect(await store.get('mod:alpha:counter')).toBe('alpha');
    expect(await store.get('mod:beta:counter')).toBe('beta');
    await group.close();
    group = undefined;
    await store.close();
  });

  it('migrations learn the SQL dialect; setup and emulator commands get the services with the bot clock', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1));
    const seen: string[] = [];
    const probe = defineBotModule({
      name: 'probe',
      migrations: [{ name: '001', up: async (_db, _table, sql) => void seen.push(`dialect ${sql.dialect}`) }],
      setup: (_m, _o, services) => void seen.push(`setup ${services.clock.now()}`),
      emulator: (_o, services) => [{ name: 'probe', description: services.table('x'), run: () => undefined }],
    });
    const bot = createBot({ logLevel: 'silent', clock });
    await bot.install(probe());
    expect(seen).toEqual(['dialect sqlite', `setup ${Date.UTC(2026, 0, 1)}`]);
    expect(bot.emulatorCommands().map((c) => c.description)).toEqual(['wecombot_probe_x']);
    await bot.close();
  });

  it('ctx.push sends through another robot when given its webhook, also from an AI bot handler', async () => {
    const sales = defineBotModule({
      name: 'sales',
      options: (o: { webhook: string }) => o,
      consumes: { commands: ['lead'] },
      setup: (m, o) =>
        void m.command('lead', async (ctx) => {
          await ctx.push(`新线索 ${ctx.match}`, { webhook: o.webhook, mention: 'owner' });
          await ctx.reply('已转给销售');
        }),
    });
    const { startFakeWecom } = await import('../../src/testing/fake-wecom/index.js');
    const fake = await startFakeWecom();
    const key = fake.newKey();
    group = await createTestGroup({ bots: [sales({ webhook: fake.webhookUrl(key) })] }, { robot: 'aibot' });
    await group.member('a').says('lead 张三');
    await group.settle();
    expect(fake.accepted(key).map((r) => r.body)).toEqual([
      { msgtype: 'text', text: { content: '新线索 张三', mentioned_list: ['owner'] } },
    ]);
    await group.close();
    group = undefined;
    await fake.close();
  });

  it('a late push visible to one member keeps its chatid and is accepted', async () => {
    group = await createTestGroup();
    group.bot.command('secret', async (ctx) => {
      await ctx.push('只有你能看到', { visibleTo: ctx.from.userId });
    });
    await group.member('kim').says('@bot secret');
    await group.settle();
    expect(group.pushes()).toEqual([{ msgtype: 'text', text: { content: '只有你能看到' }, visible_to_user: 'kim', chatid: group.chatId }]);
  });

  it('jobs and emulator commands of modules reach the bot', async () => {
    const scheduled = defineBotModule({
      name: 'scheduled',
      jobs: () => [{ name: 'daily', schedule: '0 9 * * *', handler: () => undefined }],
      emulator: () => [{ name: 'demo', description: 'try it', run: () => undefined }],
    });
    const bot: Bot = createBot({ logLevel: 'silent' });
    await bot.install(scheduled());
    expect(bot.jobs().map((j) => j.name)).toEqual(['daily']);
    expect(bot.emulatorCommands().map((c) => c.name)).toEqual(['demo']);
    await bot.close();
  });
});

const postgres = await serviceAvailable('postgres', POSTGRES_URL);

describe.skipIf(!postgres)('module migrations on PostgreSQL', () => {
  it('four processes starting together apply a module migration exactly once', async () => {
    const namespace = testNamespace('mig');
    const fixture = fileURLToPath(new URL('./fixtures/migrating-instance.ts', import.meta.url));
    const startAt = String(Date.now() + 2500);
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () =>
          promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, POSTGRES_URL, namespace, startAt], { timeout: 30_000 }),
        ),
      );
      const results = outcomes.map(({ stdout }) => JSON.parse(stdout) as { ran: number; rows: number });
      expect(results.reduce((n, r) => n + r.ran, 0)).toBe(1);
      expect(results.map((r) => r.rows)).toEqual([1, 1, 1, 1]);
    } finally {
      await dropPostgresNamespace(POSTGRES_URL, namespace);
    }
  }, 60_000);
});
