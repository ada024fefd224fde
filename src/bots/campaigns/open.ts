/**
 * Opening the campaign runner on a store: the campaign tables and the tag tables (the audience
 * is the tags bot's; a store where only CSV imports wrote tags works too), the corp client when
 * configured. Shared by the module, the CLI and the benchmark.
 */
import type { Logger } from 'pino';
import { moduleTable } from '../../bot/module.js';
import type { WebhookClient } from '../../client/webhook-client.js';
import type { Store } from '../../store/store.js';
import { TagBook } from '../tags/book.js';
import { tagsCorpClient } from '../tags/module.js';
import { tagMigrations } from '../tags/schema.js';
import type { CampaignsConfig } from './config.js';
import { CampaignRunner } from './runner.js';
import { campaignMigrations } from './schema.js';

export async function migrateCampaignTables(store: Store): Promise<void> {
  const dialect = { dialect: store.sqlDialect };
  const tags = (t: string) => moduleTable(store.namespace, 'tags', t);
  const campaigns = (t: string) => moduleTable(store.namespace, 'campaigns', t);
  await store.migrate([
    ...tagMigrations.map((m) => ({ name: `tags/${m.name}`, up: (db: Parameters<typeof m.up>[0]) => m.up(db, tags, dialect) })),
    ...campaignMigrations.map((m) => ({
      name: `campaigns/${m.name}`,
      up: (db: Parameters<typeof m.up>[0]) => m.up(db, campaigns, dialect),
    })),
  ]);
}

export async function openCampaignRunner(
  store: Store,
  config: CampaignsConfig,
  log: Logger,
  options: { now?: () => number; client?: WebhookClient; migrate?: boolean } = {},
): Promise<CampaignRunner> {
  if (options.migrate !== false) await migrateCampaignTables(store);
  const now = options.now ?? Date.now;
  const book = new TagBook(store, (t) => moduleTable(store.namespace, 'tags', t), log, now);
  const corp = await tagsCorpClient({ corp: config.corp }, store, log);
  return new CampaignRunner({
    store,
    table: (t) => moduleTable(store.namespace, 'campaigns', t),
    book,
    config,
    log,
    now,
    corp,
    ...(options.client ? { client: options.client } : {}),
  });
}
