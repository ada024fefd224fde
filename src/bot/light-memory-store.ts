/**
 * A memory store for FaaS cold starts: the key-value primitives (all the bot core needs:
 * dedupe, stream state, chat-info cache, job claims) without loading the SQL layer. Tables
 * (`migrate`, `db`) open the regular in-memory SQLite store on first `migrate()`.
 *
 * Why not `openStore({ databaseUrl: 'memory:' })`: it imports the SQL store and Kysely up
 * front, which costs tens of milliseconds of compile time on every cold start.
 */
import type { Kysely } from 'kysely';
import { WecombotError } from '../errors.js';
import type { AnyTables, Migration, Store } from '../store/store.js';

/** The table half of the composite store, opened lazily. */
class LazyTables implements Pick<Store, 'namespace' | 'sqlDialect' | 'migrate' | 'db' | 'close'> {
  readonly namespace = 'wecombot';
  readonly sqlDialect = 'sqlite' as const;
  #store: Store | undefined;
  #opening: Promise<Store> | undefined;

  async #open(): Promise<Store> {
    this.#opening ??= import('../store/open.js').then(({ openStore }) => openStore({ databaseUrl: 'memory:' }));
    this.#store = await this.#opening;
    return this.#store;
  }

  async migrate(migrations: readonly Migration[]): Promise<string[]> {
    return (await this.#open()).migrate(migrations);
  }

  db<DB = AnyTables>(): Kysely<DB> {
    if (!this.#store) {
      throw new WecombotError('store_tables_not_ready', 'the in-memory tables are opened by migrate()', {
        hint: 'call store.migrate(...) before store.db(), or set WECOMBOT_DATABASE_URL',
      });
    }
    return this.#store.db<DB>();
  }

  async close(): Promise<void> {
    if (this.#opening) await (await this.#opening).close();
  }
}

/** Opens the light memory store. */
export async function openLightMemoryStore(): Promise<Store> {
  const [{ MemoryPrimitives }, { CompositeStore }] = await Promise.all([
    import('../store/memory-store.js'),
    import('../store/composite-store.js'),
  ]);
  return new CompositeStore('memory', new MemoryPrimitives(), new LazyTables() as unknown as Store);
}
