/**
 * Shared pieces of the signup tests: a clock the tests move, a group with the bot installed,
 * and readers for what the bot said (replies and pushes) and what it recorded.
 */
import { moduleTable } from '../../../src/bot/module.js';
import type { SignupConfigInput } from '../../../src/bots/signup/config.js';
import { signup } from '../../../src/bots/signup/module.js';
import { auditOf, rosterOf } from '../../../src/bots/signup/ledger/roster.js';
import { signupTableNames } from '../../../src/bots/signup/ledger/schema.js';
import type { LedgerContext } from '../../../src/bots/signup/ledger/locked.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, type Exchange, type TestGroup, type TestGroupOptions } from '../../../src/testing/fake-group/index.js';

/** 2030-06-01 10:00 Asia/Shanghai: the tests' "now" starts here. */
export const T0 = Date.parse('2030-06-01T10:00:00+08:00');
export const HOUR = 3_600_000;

/** A clock the test moves by hand. */
export function testClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    set: (at: number) => void (now = at),
    advance: (ms: number) => void (now += ms),
  };
}

/** An activity of the config, starting two days after T0. */
export function reading(overrides: Record<string, unknown> = {}) {
  return { id: 'reading', title: '周六读书会', startsAt: '2030-06-03T14:00:00+08:00', capacity: 3, cancelBy: '24h', ...overrides };
}

/** A group (chat id fixed) with only the signup bot, on its own memory store. */
export async function signupGroup(
  config: SignupConfigInput,
  options: TestGroupOptions & { store?: Store } = {},
): Promise<{ group: TestGroup; store: Store; close(): Promise<void> }> {
  const store = options.store ?? (await openStore({ databaseUrl: 'memory:' }));
  const group = await createTestGroup({ store, bots: [signup(config)] }, { chatId: 'wrCHAT', ...options });
  return {
    group,
    store,
    async close() {
      await group.close();
      if (!options.store) await store.close();
    },
  };
}

/** The reply's text, and who may see it (`visible_to_user`, joined). */
export function said(ex: Exchange): { text: string; visibleTo: string } {
  return { text: ex.reply?.content ?? '', visibleTo: (ex.reply?.visibleTo ?? []).join('|') };
}

/** The ledger of a store, to look at what the bot recorded. */
export function ledgerOf(store: Store, now: () => number = Date.now): LedgerContext {
  return { store, t: signupTableNames((t) => moduleTable(store.namespace, 'signup', t)), now };
}

export async function statuses(store: Store, activityId: string): Promise<Record<string, string>> {
  const rows = await rosterOf(ledgerOf(store), activityId, { all: true });
  return Object.fromEntries(rows.map((r) => [r.userId, r.status]));
}

export async function auditActions(store: Store, activityId: string): Promise<string[]> {
  return (await auditOf(ledgerOf(store), activityId)).map((e) => `${e.action}${e.userId ? ` ${e.userId}` : ''}${e.to ? ` →${e.to}` : ''}`);
}
