/**
 * SIGKILL mid-campaign: a worker process running a campaign is killed while the outbox is
 * delivering; a new process resumes (outbox rows past their lease, planned deliveries, statuses).
 * Every recipient gets the offer: 0 lost. The one duplicate window is the outbox's (a message
 * WeCom accepted just before the kill, not yet marked delivered), so at most one copy extra.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/index.js';
import type { CampaignChildConfig } from '../../../bench/campaign/child.js';
import { memberId, seedAudience } from '../../../bench/campaign/seed.js';

const CHILD = fileURLToPath(new URL('../../../bench/campaign/child.ts', import.meta.url));

function startChild(config: CampaignChildConfig) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('campaigns: SIGKILL mid-campaign', () => {
  it('a restart loses 0 messages, and the report matches', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-campaign-kill-'));
    const fake = await startFakeWecom({ windowMs: 400, limit: 5 });
    try {
      const keys = [fake.newKey(), fake.newKey()];
      const databaseUrl = `sqlite:${path.join(dir, 'bot.db')}`;
      const store = await openStore({ databaseUrl });
      await seedAudience(store, { webhooks: keys.map((k) => fake.webhookUrl(k)), members: 46, optedOut: 3, capped: 3 });
      await store.close();
      const base = {
        databaseUrl,
        namespace: 'wecombot',
        firedAt: Date.parse('2030-06-03T02:00:00Z'),
        limit: 5,
        windowMs: 400,
        leaseMs: 1000,
      };
      const first = startChild({ ...base, mode: 'run' });
      const deadline = Date.now() + 30_000;
      while (fake.accepted().length < 15) {
        if (Date.now() > deadline || first.child.exitCode !== null) throw new Error(`no progress: ${first.output()}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      first.child.kill('SIGKILL');
      await first.exited;
      const before = fake.accepted().length;
      expect(before).toBeLessThan(40);
      const second = startChild({ ...base, mode: 'resume' });
      expect(await second.exited).toBe(0);
      const report = JSON.parse(second.output().trim().split('\n').pop() as string) as Record<string, unknown>;
      expect(report).toMatchObject({ recipients: 46, sent: 40, capped: 3, optedOut: 3, failed: 0, pending: 0 });
      const per = new Map<string, number>();
      for (const r of fake.accepted()) {
        const who = /^(u\d+)/.exec((r.body as { markdown: { content: string } }).markdown.content.replace(/^<@/, ''))?.[1] as string;
        per.set(who, (per.get(who) ?? 0) + 1);
      }
      const expected = Array.from({ length: 40 }, (_, i) => memberId(i));
      const lost = expected.filter((m) => !per.has(m));
      const duplicated = [...per.values()].reduce((a, n) => a + n - 1, 0);
      expect(lost).toEqual([]);
      // The outbox's documented window (docs/en/campaigns.md): at most one per robot in flight at the kill.
      expect(duplicated).toBeLessThanOrEqual(keys.length);
      expect([...per.keys()].every((m) => expected.includes(m))).toBe(true);
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
