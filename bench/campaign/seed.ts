/**
 * The audience of the campaign benchmark and crash test: `members` tagged VIP, spread round-robin
 * over the robots' groups (as if each had spoken there), `optedOut` of them opted out, `capped`
 * of them already sent an offer in the last 24 h (by an earlier campaign), so the run's capped
 * and opted-out counts are known exactly.
 */
import pino from 'pino';
import { parseCampaignsConfig, type CampaignsConfig } from '../../src/bots/campaigns/config.js';
import { openCampaignRunner } from '../../src/bots/campaigns/open.js';
import type { Store } from '../../src/store/store.js';

export interface AudienceSpec {
  webhooks: string[];
  members: number;
  optedOut: number;
  capped: number;
}

export function benchConfig(limit: number, windowMs: number, leaseMs: number): CampaignsConfig {
  return parseCampaignsConfig({
    quietHours: false,
    caps: { perDay: 1, perWeek: 3 },
    rateLimit: { limit, windowMs },
    outbox: { leaseMs, pollMs: 50, retryDelayMs: 100 },
    campaigns: [{ name: 'bench', schedule: '0 * * * * *', rules: [{ segment: 'VIP and not 已购', offer: '{name}，专享价 {campaign}' }] }],
  });
}

export const memberId = (i: number): string => `u${String(i).padStart(5, '0')}`;

export async function seedAudience(store: Store, spec: AudienceSpec): Promise<void> {
  const runner = await openCampaignRunner(store, benchConfig(20, 60_000, 60_000), pino({ level: 'silent' }));
  const { book, ledger } = runner;
  const now = Date.now();
  const db = book.db();
  for (let i = 0; i < spec.members; i += 500) {
    const ids = Array.from({ length: Math.min(500, spec.members - i) }, (_, j) => i + j);
    await db
      .insertInto(book.t.subjects)
      .values(ids.map((n) => ({ id: memberId(n), kind: 'member' as const, name: `会员${n}`, owner: null, updated_at: now })))
      .execute();
    await db
      .insertInto(book.t.presence)
      .values(
        ids.map((n) => ({
          subject: memberId(n),
          chat_id: `wrG${n % spec.webhooks.length}`,
          webhook_url: spec.webhooks[n % spec.webhooks.length] as string,
          last_seen: now,
        })),
      )
      .execute();
    await db
      .insertInto(book.t.subject_tags)
      .values(ids.map((n) => ({ subject: memberId(n), tag: 'VIP', added_at: now, added_by: 'bench' })))
      .execute();
  }
  await book.ensureTag('VIP');
  // The last members: opted out, and before them the capped ones.
  for (let n = spec.members - spec.optedOut; n < spec.members; n++) await ledger.optOut(memberId(n), 'TD');
  const capped = Array.from({ length: spec.capped }, (_, j) => spec.members - spec.optedOut - 1 - j);
  for (let i = 0; i < capped.length; i += 200) {
    await ledger
      .db()
      .insertInto(ledger.t.deliveries)
      .values(
        capped.slice(i, i + 200).map((n) => ({
          run_id: 'earlier@seed',
          subject: memberId(n),
          campaign: 'earlier',
          rule: 1,
          channel: 'group' as const,
          chat_id: null,
          webhook_url: null,
          sender: null,
          body: '{}',
          status: 'sent' as const,
          reason: null,
          errcode: null,
          outbox_id: null,
          decided_at: now - 60_000,
          enqueued_at: null,
          outbox_floor: null,
          claim: null,
          settled_at: now - 60_000,
        })),
      )
      .execute();
  }
  await runner.close();
}
