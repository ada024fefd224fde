import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import type { Context } from '../../src/bot/context.js';
import { defineBotModule } from '../../src/bot/module.js';
import { session, type SessionFlavor } from '../../src/bot/session-middleware.js';
import { sessionKey } from '../../src/bot/session.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/index.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { deleteRedisNamespace, dropPostgresNamespace } from '../store/cleanup.js';
import { testNamespace } from '../store/conformance.js';

/** A module whose handler reads, waits, then writes: without a held session, racing updates get lost. */
const counter = defineBotModule({
  name: 'counter',
  consumes: { commands: ['count', 'boom'] },
  session: { initial: () => ({ count: 0 }) },
  chatSession: { initial: () => ({ total: 0 }) },
  setup(m) {
    m.command('count', async (ctx) => {
      const seen = ctx.session.count;
      await new Promise((r) => setTimeout(r, 25));
      ctx.session.count = seen + 1;
      ctx.chatSession.total += 1;
      await ctx.reply(`${ctx.session.count}/${ctx.chatSession.total}`);
    });
    m.command('boom', (ctx) => {
      ctx.session.count += 100;
      ctx.chatSession.total += 100;
      throw new Error('handler failed after changing the session');
    });
  },
});

interface Pair {
  stores: [Store, Store];
  cleanup: () => Promise<void>;
}

/** Two instances (two bots, two store connections) on one backing store, answering one chat. */
async function twoInstances(stores: [Store, Store]) {
  const secrets = randomSecrets();
  const fake = await startFakeWecom();
  const chatId = 'wrSHAREDCHAT';
  const groups: TestGroup[] = [];
  for (const store of stores) {
    const bot = createBot({ group: secrets, store, logLevel: 'silent' });
    await bot.install(counter());
    groups.push(await createTestGroup(bot, { fake, chatId }));
  }
  return {
    groups: groups as [TestGroup, TestGroup],
    async close() {
      for (const g of groups) {
        await g.close();
        await g.bot.close();
      }
      await fake.close();
    },
  };
}

function describeSessions(name: string, open: () => Promise<Pair>): void {
  describe(`sessions on ${name}`, () => {
    it('two instances racing on one member: every update lands, none is lost', async () => {
      const { stores, cleanup } = await open();
      const pair = await twoInstances(stores);
      try {
        const [a, b] = pair.groups;
        const replies = await Promise.all([
          a.member('alice').says('@bot count'),
          b.member('alice').says('@bot count'),
          a.member('alice').says('@bot count'),
          b.member('alice').says('@bot count'),
        ]);
        const texts = replies.map((r) => r.reply?.content).sort();
        expect(texts).toEqual(['1/1', '2/2', '3/3', '4/4']);
        // The reply goes out before the handler returns; the session is written after it.
        await Promise.all([a.settle(), b.settle()]);
        const key = sessionKey('counter', 'user', { chatId: 'wrSHAREDCHAT', userId: 'alice' });
        expect(JSON.parse((await stores[0].get(key)) ?? 'null')).toEqual({ count: 4 });
        // Another member has a session of their own but shares the chat's.
        const bob = await b.member('bob').says('@bot count');
        expect(bob.reply?.content).toBe('1/5');
      } finally {
        await pair.close();
        await cleanup();
      }
    }, 30_000);

    it('a handler that throws leaves both sessions unchanged', async () => {
      const { stores, cleanup } = await open();
      const pair = await twoInstances(stores);
      try {
        const [a, b] = pair.groups;
        expect((await a.member('carol').says('@bot count')).reply?.content).toBe('1/1');
        const failed = await b.member('carol').says('@bot boom');
        expect(failed.status).toBe(200);
        expect(failed.reply).toBeUndefined();
        expect((await a.member('carol').says('@bot count')).reply?.content).toBe('2/2');
      } finally {
        await pair.close();
        await cleanup();
      }
    }, 30_000);
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function sqliteFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-session-'));
  dirs.push(dir);
  return `sqlite:${path.join(dir, 'state.db')}`;
}

describeSessions('memory (one store, two bots)', async () => {
  const store = await openStore({ databaseUrl: 'memory:' });
  // Both instances hold the same object: the bots close it once each, which is harmless.
  return { stores: [store, store], cleanup: () => store.close() };
});

describeSessions('SQLite (two connections to one file)', async () => {
  const url = sqliteFile();
  const stores: [Store, Store] = [await openStore({ databaseUrl: url }), await openStore({ databaseUrl: url })];
  return { stores, cleanup: async () => void (await Promise.all(stores.map((s) => s.close()))) };
});

const postgres = await serviceAvailable('postgres', POSTGRES_URL);
const redis = await serviceAvailable('redis', REDIS_URL);

if (postgres) {
  describeSessions('PostgreSQL (two pools)', async () => {
    const namespace = testNamespace('sess');
    const stores: [Store, Store] = [
      await openStore({ databaseUrl: POSTGRES_URL, namespace }),
      await openStore({ databaseUrl: POSTGRES_URL, namespace }),
    ];
    return {
      stores,
      cleanup: async () => {
        await Promise.all(stores.map((s) => s.close()));
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      },
    };
  });
}

if (redis) {
  describeSessions('Redis + SQLite (two clients)', async () => {
    const namespace = testNamespace('sessr');
    const url = sqliteFile();
    const stores: [Store, Store] = [
      await openStore({ databaseUrl: url, redisUrl: REDIS_URL, namespace }),
      await openStore({ databaseUrl: url, redisUrl: REDIS_URL, namespace }),
    ];
    return {
      stores,
      cleanup: async () => {
        await Promise.all(stores.map((s) => s.close()));
        await deleteRedisNamespace(REDIS_URL, namespace);
      },
    };
  });
}

describe('session options and the bot-level session', () => {
  it('bot.use(session()) keeps state for handlers on the bot itself', async () => {
    const bot = createBot<Context & SessionFlavor<{ visits: number }>>({ group: randomSecrets(), logLevel: 'silent' });
    bot.use(session({ initial: () => ({ visits: 0 }) }));
    bot.command('visit', (ctx) => {
      ctx.session.visits += 1;
      return ctx.reply(`visit ${ctx.session.visits}`);
    });
    const group = await createTestGroup(bot as unknown as Bot);
    try {
      expect((await group.member('dave').says('@bot visit')).reply?.content).toBe('visit 1');
      expect((await group.member('dave').says('@bot visit')).reply?.content).toBe('visit 2');
      expect((await group.member('erin').says('@bot visit')).reply?.content).toBe('visit 1');
    } finally {
      await group.close();
      await bot.close();
    }
  });

  it('a session untouched by its handler is not written; one set to undefined is deleted', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const mod = defineBotModule({
      name: 'quiet',
      consumes: { commands: ['look', 'set', 'forget'] },
      session: { initial: () => ({ n: 0 }) },
      setup(m) {
        m.command('look', (ctx) => ctx.reply(`n=${ctx.session.n}`));
        m.command('set', (ctx) => {
          ctx.session.n = 7;
          return ctx.reply('set');
        });
        m.command('forget', (ctx) => {
          (ctx as { session: unknown }).session = undefined;
          return ctx.reply('forgot');
        });
      },
    });
    const group = await createTestGroup({ store, bots: [mod()] });
    try {
      const key = sessionKey('quiet', 'user', { chatId: group.chatId, userId: 'fay' });
      const say = async (text: string) => {
        await group.member('fay').says(text);
        await group.settle();
      };
      await say('@bot look');
      expect(await store.get(key)).toBeUndefined();
      await say('@bot set');
      expect(await store.get(key)).toBe('{"n":7}');
      await say('@bot forget');
      expect(await store.get(key)).toBeUndefined();
    } finally {
      await group.close();
      await store.close();
    }
  });

  it('ttlMs lets a session expire', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const mod = defineBotModule({
      name: 'brief',
      consumes: { commands: ['tick'] },
      session: { initial: () => ({ n: 0 }), ttlMs: 150 },
      setup(m) {
        m.command('tick', (ctx) => ctx.reply(String(++ctx.session.n)));
      },
    });
    const group = await createTestGroup({ store, bots: [mod()] });
    try {
      expect((await group.member('gus').says('@bot tick')).reply?.content).toBe('1');
      expect((await group.member('gus').says('@bot tick')).reply?.content).toBe('2');
      await new Promise((r) => setTimeout(r, 300));
      expect((await group.member('gus').says('@bot tick')).reply?.content).toBe('1');
    } finally {
      await group.close();
      await store.close();
    }
  });

  it('bad session options are refused when the module is installed, naming the field', async () => {
    const mod = defineBotModule({ name: 'bad-session', session: { initial: 5 as unknown as () => number } });
    const bot = createBot({ logLevel: 'silent' });
    await expect(bot.install(mod())).rejects.toThrow(/bad-session\.session\.initial must be a function/);
    await bot.close();
  });

  it('a session stored by something else is reported, not crashed on', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const group = await createTestGroup({ store, bots: [counter()] });
    try {
      await store.set(sessionKey('counter', 'user', { chatId: group.chatId, userId: 'hal' }), 'not json');
      const errors: string[] = [];
      group.bot.catch((err) => void errors.push(err.code));
      const ex = await group.member('hal').says('@bot count');
      expect(ex.status).toBe(200);
      expect(errors).toEqual(['session_unreadable']);
    } finally {
      await group.close();
      await store.close();
    }
  });
});

describe('session when and onUnavailable', () => {
  it('when: declined messages run with a fresh session that is never stored', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const seen: string[] = [];
    const picky = defineBotModule({
      name: 'picky',
      consumes: { commands: ['count', 'peek'] },
      session: { initial: () => ({ n: 0 }), when: (ctx) => ctx.text.startsWith('count') },
      setup(m) {
        m.command('count', (ctx) => ctx.reply(String(++ctx.session.n)));
        m.command('peek', (ctx) => {
          ctx.session.n = 99;
          return ctx.reply(`peek ${ctx.session.n}`);
        });
        m.on('text', (ctx) => void seen.push(ctx.text));
      },
    });
    const group = await createTestGroup({ store, bots: [picky()] });
    try {
      expect((await group.member('ivy').says('@bot count')).reply?.content).toBe('1');
      await group.settle();
      expect((await group.member('ivy').says('@bot peek')).reply?.content).toBe('peek 99');
      await group.settle();
      expect((await group.member('ivy').says('@bot count')).reply?.content).toBe('2');
    } finally {
      await group.close();
      await store.close();
    }
  });

  it('onUnavailable answers instead of the handlers when the store cannot hold the session', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    let handled = 0;
    const careful = defineBotModule({
      name: 'careful',
      consumes: { commands: ['join'] },
      session: { initial: () => ({ joined: false }), onUnavailable: (ctx, err) => ctx.reply(`稍后再试 (${err.code})`) },
      setup(m) {
        m.command('join', (ctx) => {
          handled++;
          return ctx.reply('joined');
        });
      },
    });
    const group = await createTestGroup({ store, bots: [careful()] });
    try {
      store.acquireLock = () => Promise.reject(new Error('connection refused'));
      const ex = await group.member('jo').says('@bot join');
      expect(ex.reply?.content).toBe('稍后再试 (session_unavailable)');
      expect(handled).toBe(0);
    } finally {
      await group.close();
      await store.close();
    }
  });
});
