/** A group with the tags bot (and whatever else a test installs), and a book on the same store to read what it recorded. */
import pino from 'pino';
import { moduleTable, type BotModule } from '../../../src/bot/module.js';
import { TagBook } from '../../../src/bots/tags/book.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, type TestGroup, type TestGroupOptions } from '../../../src/testing/fake-group/index.js';

export interface TagsRig {
  group: TestGroup;
  store: Store;
  book: TagBook;
  close(): Promise<void>;
}

/** A book over the tags module's tables of `store` (what the CLI opens). */
export function bookOn(store: Store, now: () => number = Date.now): TagBook {
  return new TagBook(store, (t) => moduleTable(store.namespace, 'tags', t), pino({ level: 'silent' }), now);
}

export async function tagsRig(bots: BotModule[], options: TestGroupOptions & { store?: Store } = {}): Promise<TagsRig> {
  const store = options.store ?? (await openStore({ databaseUrl: 'memory:' }));
  const group = await createTestGroup({ store, bots }, { chatId: 'wrCHAT', ...options });
  return {
    group,
    store,
    book: bookOn(store),
    async close() {
      await group.close();
      if (!options.store) await store.close();
    },
  };
}
