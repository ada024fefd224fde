/**
 * A pool configured in the options is brought into the database when the bot starts: a file
 * imported again only when it changed, a pattern topped up to its count, and a malformed file
 * refusing the start with its file, line and reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/bot/bot.js';
import { createLogger } from '../../../src/bot/logger.js';
import { welcome } from '../../../src/bots/welcome/module.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { poolStatus } from '../../../src/bots/welcome/coupons/report.js';
import { openStore, type Store } from '../../../src/store/index.js';
import type { WelcomeConfigInput } from '../../../src/bots/welcome/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-welcome-sync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a bot on `store` (an instance start) and returns what it logged. */
async function start(store: Store, options: WelcomeConfigInput): Promise<string[]> {
  const lines: string[] = [];
  const bot = createBot({
    group: { token: 'tok', encodingAesKey: 'a'.repeat(43) },
    store,
    logger: createLogger({ level: 'info', destination: { write: (l: string) => void lines.push((JSON.parse(l) as { msg: string }).msg) } }),
  });
  try {
    await bot.install(welcome(options));
  } finally {
    await bot.close();
  }
  return lines;
}

describe('configured pools', () => {
  it('imports a file at start, again only when it changed, adding only new codes', async () => {
    const file = path.join(dir, 'codes.csv');
    writeFileSync(file, 'code\nS-001\nS-002\n');
    const store = await openStore({ databaseUrl: `sqlite:${path.join(dir, 'a.db')}` });
    try {
      expect(await start(store, { coupons: { file } })).toContain('coupon pool synchronised from the config');
      expect(await start(store, { coupons: { file } })).not.toContain('coupon pool synchronised from the config');
      writeFileSync(file, 'code\nS-001\nS-002\nS-003\n');
      await start(store, { coupons: { file } });
      const status = await poolStatus(await openCouponLedger(store, 'default'));
      expect(status).toMatchObject({ total: 3, free: 3, alertAt: [20, 0], batches: [{ batch: 'codes.csv', total: 3, issued: 0 }] });
    } finally {
      await store.close();
    }
  });

  it('tops a pattern pool up to its count', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    try {
      await start(store, { coupons: { pattern: 'P-{XXXXXX}', count: 40 } });
      await start(store, { coupons: { pattern: 'P-{XXXXXX}', count: 40 } });
      expect((await poolStatus(await openCouponLedger(store, 'default'))).total).toBe(40);
      await start(store, { coupons: { pattern: 'P-{XXXXXX}', count: 60 } });
      expect((await poolStatus(await openCouponLedger(store, 'default'))).total).toBe(60);
    } finally {
      await store.close();
    }
  });

  it('a malformed or missing file stops the start, naming the file, the line and the reason; nothing is imported', async () => {
    const file = path.join(dir, 'bad.txt');
    writeFileSync(file, 'B-001\nB-002\nB-001\n');
    const store = await openStore({ databaseUrl: 'memory:' });
    try {
      await expect(start(store, { coupons: { file } })).rejects.toThrow(`${file}:3: duplicate of line 1`);
      expect((await poolStatus(await openCouponLedger(store, 'default'))).total).toBe(0);
      await expect(start(store, { coupons: { file: path.join(dir, 'missing.txt') } })).rejects.toThrow(
        /missing\.txt: cannot be read \(ENOENT\)/,
      );
    } finally {
      await store.close();
    }
  });
});
