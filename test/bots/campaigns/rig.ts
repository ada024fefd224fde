/**
 * A group with the tags and campaigns bots between the fake WeCom (signed, encrypted
 * callbacks; pushes counted by the fake) and a store, with a book to tag members directly.
 */
import { manualClock, type ManualClock } from '../../../src/bot/clock.js';
import type { CampaignsConfigInput } from '../../../src/bots/campaigns/config.js';
import { campaigns } from '../../../src/bots/campaigns/module.js';
import { tags } from '../../../src/bots/tags/module.js';
import type { TagBook } from '../../../src/bots/tags/book.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { bookOn } from '../tags/rig.js';

/** 2030-06-03 10:00 Asia/Shanghai, a Monday morning: outside default quiet hours. */
export const MORNING = Date.parse('2030-06-03T10:00:00+08:00');
export const HOUR = 3_600_000;

export interface CampaignRig {
  group: TestGroup;
  store: Store;
  book: TagBook;
  clock: ManualClock;
  /** Members who spoke in the group (so campaigns can reach them), then tagged. */
  seed(members: Record<string, string[]>): Promise<void>;
  close(): Promise<void>;
}

export async function campaignRig(config: CampaignsConfigInput, options: { store?: Store; start?: number } = {}): Promise<CampaignRig> {
  const store = options.store ?? (await openStore({ databaseUrl: 'memory:' }));
  const clock = manualClock(options.start ?? MORNING);
  const group = await createTestGroup({ store, clock, bots: [tags({ staff: ['boss'] }), campaigns(config)] }, { chatId: 'wrCAMPAIGN' });
  const book = bookOn(store, () => clock.now());
  return {
    group,
    store,
    book,
    clock,
    async seed(members) {
      for (const [userId, list] of Object.entries(members)) {
        await group.member(userId, { name: `名${userId}` }).says('@bot 你好');
        if (list.length) await book.add(userId, list, { actor: 'test', via: 'cli' });
      }
    },
    async close() {
      await group.close();
      if (!options.store) await store.close();
    },
  };
}
