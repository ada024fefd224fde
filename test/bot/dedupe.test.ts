import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import { dedupeKey } from '../../src/bot/dedupe.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { deleteRedisNamespace, dropPostgresNamespace } from '../store/cleanup.js';
import { captureLogger, gate } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A signed `@bot <text>` callback with the given MsgId, for the group's bot. */
function callback(group: TestGroup, msgId: string, text = '@bot hi') {
  return group.signer.post(
    '/wecom/callback',
    groupCallbackXml(
      { msgId, webhookUrl: group.fake.webhookUrl(group.webhookKey), chatId: group.chatId, chatType: 'group', from: { userId: 'a' } },
      { kind: 'text', content: text },
    ),
    'xml',
  );
}

/** Two bots on one store (same robot secrets), counting the handler runs of both. */
function twoBots(store: Store, options: { ackBudgetMs?: number; dedupeLeaseMs?: number; hold?: Promise<void> } = {}) {
  const secrets = randomSecrets();
  const logs = captureLogger([secrets.token, secrets.encodingAesKey], 'info');
  const counter = { handled: 0 };
  const bots = [0, 1].map(() => {
    const bot = createBot({
      group: secrets,
      store,
      logger: logs.logger,
      ...(options.ackBudgetMs ? { ackBudgetMs: options.ackBudgetMs } : {}),
      ...(options.dedupeLeaseMs ? { dedupeLeaseMs: options.dedupeLeaseMs } : {}),
    });
    bot.on('text', async (ctx) => {
      counter.handled++;
      await options.hold;
      await ctx.reply('handled');
    });
    return bot;
  }) as [Bot, Bot];
  return { bots, logs, counter };
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('de-duplication', () => {
  it('a retried callback (same MsgId) is handled once and acknowledged', async () => {
    const group: TestGroup = await createTestGroup();
    cleanup.push(() => group.close());
    let handled = 0;
    group.bot.on('text', (ctx) => {
      handled++;
      return ctx.reply('once');
    });
    const first = await group.member('a').says('@bot hi');
    const retry = await group.send(first.request);
    expect(first.reply?.content).toBe('once');
    expect(retry.status).toBe(200);
    expect(retry.reply).toBeUndefined();
    expect(handled).toBe(1);
  });

  const shared: [string, string, () => { databaseUrl?: string; redisUrl?: string }][] = [
    ['PostgreSQL', POSTGRES_URL, () => ({ databaseUrl: POSTGRES_URL })],
    ['Redis', REDIS_URL, () => ({ databaseUrl: 'memory:', redisUrl: REDIS_URL })],
  ];
  for (const [name, url, config] of shared) {
    it(`two instances sharing ${name} handle a retried callback once`, async () => {
      if (!(await serviceAvailable(name === 'PostgreSQL' ? 'postgres' : 'redis', url))) return;
      const namespace = `dedupe_${randomBytes(4).toString('hex')}`;
      const stores: Store[] = [await openStore({ ...config(), namespace }), await openStore({ ...config(), namespace })];
      cleanup.push(() => Promise.all(stores.map((s) => s.close())));
      const secrets = randomSecrets();
      let handled = 0;
      const bots = stores.map((store) => {
        const bot = createBot({ group: secrets, store, logLevel: 'silent' });
        bot.on('text', (ctx) => {
          handled++;
          return ctx.reply('handled');
        });
        return bot;
      });
      const group = await createTestGroup(bots[0]!);
      cleanup.push(() => group.close());
      const ex = await group.member('a').says('@bot hi');
      // WeCom's retries land on both instances at once.
      const [r1, r2] = await Promise.all([bots[0]!.handle(ex.request), bots[1]!.handle(ex.request)]);
      expect(ex.reply?.content).toBe('handled');
      expect([r1.body, r2.body]).toEqual(['', '']);
      // A fresh message raced on both instances: exactly one answers.
      const fresh = group.signer.post(
        '/wecom/callback',
        groupCallbackXml(
          {
            msgId: `race-${namespace}`,
            webhookUrl: group.fake.webhookUrl(group.webhookKey),
            chatId: group.chatId,
            chatType: 'group',
            from: { userId: 'b' },
          },
          { kind: 'text', content: '@bot race' },
        ),
        'xml',
      );
      const raced = await Promise.all([bots[0]!.handle(fresh), bots[1]!.handle(fresh)]);
      expect(raced.filter((r) => r.body !== '')).toHaveLength(1);
      expect(handled).toBe(2);
      await Promise.all(bots.map((b) => b.idle()));
    });
  }

  it('a retry while the first delivery still runs is acknowledged and dropped; after completion too', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    cleanup.push(() => store.close());
    const held = gate();
    const { bots, logs, counter } = twoBots(store, { ackBudgetMs: 50, hold: held.promise });
    const group = await createTestGroup(bots[0]);
    cleanup.push(() => group.close());
    const request = callback(group, `running-${randomBytes(4).toString('hex')}`);
    // The handler holds past the ack budget: WeCom got its 200, the work goes on.
    const first = await bots[0].handle(request);
    expect(first.status).toBe(200);
    const whileRunning = await bots[1].handle(request);
    expect(whileRunning.body).toBe('');
    expect(logs.lines.some((l) => l.msg === 'duplicate callback acknowledged (still being handled)' && l.state === 'running')).toBe(true);
    held.open();
    await Promise.all(bots.map((b) => b.idle()));
    const afterwards = await bots[1].handle(request);
    expect(afterwards.body).toBe('');
    expect(logs.lines.some((l) => l.msg === 'duplicate callback acknowledged (already handled)' && l.state === 'done')).toBe(true);
    expect(counter.handled).toBe(1);
    expect(group.pushes().map((p) => p.msgtype)).toHaveLength(1);
  });

  it("a retry after a dead delivery's lease expired is handled", async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    cleanup.push(() => store.close());
    const { bots, counter } = twoBots(store);
    const group = await createTestGroup(bots[0]);
    cleanup.push(() => group.close());
    const msgId = `dead-${randomBytes(4).toString('hex')}`;
    // An instance claimed the callback and died: nobody renews or completes its claim.
    expect(await store.claim(dedupeKey('group', group.chatId, msgId), { owner: 'dead-instance', leaseMs: 300 })).toBe('claimed');
    const early = await bots[1].handle(callback(group, msgId));
    expect(early.body).toBe('');
    expect(counter.handled).toBe(0);
    await sleep(500);
    const late = await group.send(callback(group, msgId));
    expect(late.reply?.content).toBe('handled');
    expect(counter.handled).toBe(1);
    await Promise.all(bots.map((b) => b.idle()));
    expect(await store.get(dedupeKey('group', group.chatId, msgId))).toBe('claim:done');
  });

  it('a handler that outlives its lease keeps it: the lease is renewed while it runs', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    cleanup.push(() => store.close());
    const held = gate();
    const { bots, counter } = twoBots(store, { ackBudgetMs: 50, dedupeLeaseMs: 600, hold: held.promise });
    const group = await createTestGroup(bots[0]);
    cleanup.push(() => group.close());
    const request = callback(group, `long-${randomBytes(4).toString('hex')}`);
    await bots[0].handle(request);
    // Three leases long: without renewal the claim would have lapsed twice.
    await sleep(1800);
    expect((await bots[1].handle(request)).body).toBe('');
    held.open();
    await Promise.all(bots.map((b) => b.idle()));
    expect(counter.handled).toBe(1);
  });

  it('a store failing during the claim is logged; the callback is handled and retries reaching this instance are dropped', async () => {
    const real = await openStore({ databaseUrl: 'memory:' });
    cleanup.push(() => real.close());
    const failing: Store = Object.assign(Object.create(real) as Store, {
      claim: () => Promise.reject(new Error('connection reset')),
    });
    const { bots, logs, counter } = twoBots(failing);
    const group = await createTestGroup(bots[0]);
    cleanup.push(() => group.close());
    const request = callback(group, `failing-${randomBytes(4).toString('hex')}`);
    const first = await group.send(request);
    expect(first.reply?.content).toBe('handled');
    const retry = await bots[0].handle(request);
    expect(retry.body).toBe('');
    expect(counter.handled).toBe(1);
    const error = logs.lines.find((l) => l.level === 50);
    expect(error?.msg).toMatch(
      /de-duplication store failed; handling the callback anyway: a retry reaching another instance may run it again/,
    );
    expect(logs.lines.some((l) => l.level === 40 && /already handled the callback, dropping the retry/.test(String(l.msg)))).toBe(true);
    await Promise.all(bots.map((b) => b.idle()));
  });

  describe('a 4,000-character MsgId is handled exactly once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-dedupe-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const stores: [
      string,
      string | undefined,
      (namespace: string) => { databaseUrl: string; redisUrl?: string },
      (ns: string) => Promise<unknown>,
    ][] = [
      ['memory', undefined, () => ({ databaseUrl: 'memory:' }), async () => {}],
      ['SQLite', undefined, (ns) => ({ databaseUrl: `sqlite:${path.join(dir, `${ns}.db`)}` }), async () => {}],
      ['PostgreSQL', POSTGRES_URL, () => ({ databaseUrl: POSTGRES_URL }), (ns) => dropPostgresNamespace(POSTGRES_URL, ns)],
      ['Redis', REDIS_URL, () => ({ databaseUrl: 'memory:', redisUrl: REDIS_URL }), (ns) => deleteRedisNamespace(REDIS_URL, ns)],
    ];
    for (const [name, url, config, drop] of stores) {
      it(`on ${name}`, async () => {
        if (url && !(await serviceAvailable(name === 'PostgreSQL' ? 'postgres' : 'redis', url))) return;
        const namespace = `dedupe_long_${randomBytes(4).toString('hex')}`;
        const store = await openStore({ ...config(namespace), namespace });
        cleanup.push(async () => {
          await store.close();
          await drop(namespace);
        });
        const { bots, logs, counter } = twoBots(store);
        const group = await createTestGroup(bots[0]);
        cleanup.push(() => group.close());
        const msgId = `${randomBytes(8).toString('hex')}${'x'.repeat(3984)}`;
        expect(msgId).toHaveLength(4000);
        const request = callback(group, msgId);
        // The first delivery and two retries, at once on both instances, then once more.
        const raced = await Promise.all([bots[0].handle(request), bots[1].handle(request), bots[0].handle(request)]);
        await Promise.all(bots.map((b) => b.idle()));
        const again = await bots[1].handle(request);
        expect(raced.filter((r) => r.body !== '')).toHaveLength(1);
        expect(again.body).toBe('');
        expect(counter.handled).toBe(1);
        expect(logs.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
        // The key is a fixed-length digest, whatever the MsgId.
        const key = dedupeKey('group', group.chatId, msgId);
        expect(key).toHaveLength(50);
        expect(await store.get(key)).toBe('claim:done');
      });
    }
  });
});
