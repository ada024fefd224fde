/**
 * Shared pieces of the leads tests: a sales group (the fake WeCom records its posts, its
 * members click 认领 through really signed, encrypted callbacks) around a bot with the leads
 * module, deliveries signed the way each platform signs them, and readers for what the bot
 * recorded.
 */
import { moduleTable } from '../../../src/bot/module.js';
import { botRequest, type BotResponse } from '../../../src/bot/request.js';
import type { LeadsConfigInput } from '../../../src/bots/leads/config.js';
import { feiyuSignature, genericSignature } from '../../../src/bots/leads/intake/verify.js';
import { leads } from '../../../src/bots/leads/module.js';
import { auditOf, listLeads } from '../../../src/bots/leads/records/queries.js';
import type { LeadsLedger } from '../../../src/bots/leads/records/rows.js';
import { leadTableNames } from '../../../src/bots/leads/records/schema.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, type TestBotConfig, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../../src/testing/fake-wecom/types.js';

/** 2030-06-03 (a Monday) 10:00 Asia/Shanghai. */
export const T0 = Date.parse('2030-06-03T10:00:00+08:00');
export const MINUTE = 60_000;

export const TOKENS = { feiyu: 'feiyu-url-token-0123456789', tencent: 'gdt-url-token-0123456789ab', form: 'form-url-token-0123456789' };
export const SECRETS = { feiyu: 'feiyu-secret-key-0123456789', form: 'form-hmac-secret-0123456789' };

export function testClock(start = T0) {
  let now = start;
  return { now: () => now, set: (at: number) => void (now = at), advance: (ms: number) => void (now += ms) };
}

/** Three reps, one rule, a backup and a manager; every source kind. */
export function baseConfig(webhook: string, overrides: Partial<LeadsConfigInput> = {}): LeadsConfigInput {
  return {
    group: { webhook, chatId: 'wrSALES' },
    sources: {
      feiyu: { kind: 'feiyu', token: TOKENS.feiyu, secret: SECRETS.feiyu, fields: { product: 'remark_dict.意向产品' } },
      gdt: { kind: 'tencent', token: TOKENS.tencent },
      form: { kind: 'generic', secret: SECRETS.form },
    },
    reps: [
      { userId: 'lisi', name: '李四' },
      { userId: 'zhaoliu', name: '赵六' },
      { userId: 'sunqi', name: '孙七' },
    ],
    rules: [{ region: '上海', product: '产品A', reps: ['lisi'] }],
    claim: { within: '15m', backup: 'wangwu', manager: 'boss' },
    ...overrides,
  };
}

export interface Rig {
  group: TestGroup;
  store: Store;
  fake: FakeWecom;
  clock: ReturnType<typeof testClock>;
  ledger: LeadsLedger;
  /** POSTs a delivery to /leads/<source>. */
  deliver(source: string, body: string, init?: { headers?: Record<string, string>; query?: string }): Promise<BotResponse>;
  close(): Promise<void>;
}

export async function leadsRig(
  options: {
    store?: Store;
    fake?: FakeWecom;
    salesKey?: string;
    config?: Partial<LeadsConfigInput>;
    clock?: ReturnType<typeof testClock>;
    /** Bot options (an ack budget, say). */
    bot?: Omit<TestBotConfig, 'bots' | 'store'>;
  } = {},
): Promise<Rig> {
  const store = options.store ?? (await openStore({ databaseUrl: 'memory:' }));
  const fake = options.fake ?? (await startFakeWecom());
  const key = options.salesKey ?? fake.newKey();
  const webhook = fake.webhookUrl(key);
  const clock = options.clock ?? testClock();
  const group = await createTestGroup(
    { ...options.bot, store, bots: [leads({ ...baseConfig(webhook, options.config), now: clock.now })] },
    { chatId: 'wrSALES', fake, webhookUrl: webhook },
  );
  const ledger: LeadsLedger = { store, t: leadTableNames((t) => moduleTable(store.namespace, 'leads', t)), now: clock.now };
  return {
    group,
    store,
    fake,
    clock,
    ledger,
    async deliver(source, body, init = {}) {
      const res = await group.bot.handle(
        botRequest({
          method: 'POST',
          url: `/leads/${source}${init.query ?? ''}`,
          headers: { 'content-type': 'application/json', ...init.headers },
          body,
          remoteAddress: '203.0.113.7',
        }),
      );
      await res.pending;
      return res;
    },
    async close() {
      await group.close();
      if (!options.fake) await fake.close();
      if (!options.store) await store.close();
    },
  };
}

/** A 飞鱼 clue (the debug generator's shape), `overrides` on top. */
export function feiyuClue(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '7034512345678901',
    adv_id: '1664750332606472',
    name: '张三',
    telphone: '13812341234',
    weixin: 'wx123456789',
    province_name: '上海',
    city_name: '上海',
    remark_dict: { 意向产品: '产品A' },
    app_name: '抖音',
    create_time: '1590567259',
    ...overrides,
  };
}

/** Headers and query of a signed 飞鱼 push. */
export function feiyuAuth(body: string, at: number, secret = SECRETS.feiyu, token = TOKENS.feiyu) {
  const ts = String(Math.floor(at / 1000));
  return { query: `?token=${token}`, headers: { timestamp: ts, signature: feiyuSignature(secret, ts, body) } };
}

export function formAuth(body: string, at: number, secret = SECRETS.form) {
  const ts = String(Math.floor(at / 1000));
  return { headers: { 'x-timestamp': ts, 'x-signature': genericSignature(secret, ts, body) } };
}

export function tencentLead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_id: 20458,
    leads_id: '1234567890',
    leads_name: '王小明',
    leads_telephone: '13900001111',
    leads_area: '广东省深圳市',
    bundle: '{"意向车型":"A"}',
    leads_create_time: '2030-06-03 09:59:58',
    ...overrides,
  };
}

export async function allLeads(rig: Pick<Rig, 'ledger'>) {
  return listLeads(rig.ledger, { repeats: true });
}

export async function actions(rig: Pick<Rig, 'ledger'>, leadId: string): Promise<string[]> {
  return (await auditOf(rig.ledger, leadId)).map((e) => `${e.action}${e.to ? ` →${e.to}` : ''} by ${e.actor}`);
}
