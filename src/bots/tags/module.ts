import type { Logger } from 'pino';
import { defineBotModule, type ModuleServices } from '../../bot/module.js';
import type { CorpClient } from '../../corp/client.js';
import type { Store } from '../../store/store.js';
import { TagBook } from './book.js';
import { listenForBehaviour } from './behaviour.js';
import { observe, showTags, tagCommand } from './chat.js';
import { parseTagsConfig, type TagsConfig, type TagsConfigInput } from './config.js';
import { CorpTagLink } from './corp-sync.js';
import { tagMigrations } from './schema.js';

/** The corp client of the options, else one from WECOM_CORP_ID / WECOM_CORP_SECRET, else none. */
export async function tagsCorpClient(config: Pick<TagsConfig, 'corp'>, store: Store, log: Logger): Promise<CorpClient | undefined> {
  if (config.corp === false) return undefined;
  if (config.corp) return config.corp;
  const { readCorpEnv, CORP_ENV } = await import('../../corp/env.js');
  const creds = readCorpEnv(process.env);
  if (!creds) return undefined;
  const { createCorpClient } = await import('../../corp/client.js');
  const baseUrl = process.env[CORP_ENV.apiBase]?.trim();
  return createCorpClient({ ...creds, store, ...(baseUrl ? { baseUrl } : {}), logger: log.child({ component: 'corp' }) });
}

interface Opened {
  book: TagBook;
  link: CorpTagLink | undefined;
}

/** One book per installed module: setup, jobs and the CLI share it. */
const opened = new WeakMap<ModuleServices, Promise<Opened>>();
function openFor(services: ModuleServices, config: TagsConfig): Promise<Opened> {
  let p = opened.get(services);
  if (!p) {
    p = (async () => {
      const book = new TagBook(services.store, services.table, services.log, () => services.clock.now());
      const corp = await tagsCorpClient(config, services.store, services.log);
      const link = corp ? new CorpTagLink(book, corp, services.log) : undefined;
      if (link) {
        // WeCom first, so declared tags it already has are linked, not created twice.
        await link.pull().catch((err: unknown) => services.log.warn({ err }, 'tags: first corp tag sync failed; retried by the sync job'));
        book.mirror = link;
      }
      for (const g of config.groups) for (const tag of g.tags) await book.ensureTag(tag, g.group);
      return { book, link };
    })();
    opened.set(services, p);
  }
  return p;
}

/**
 * The `tags` bot: tag groups and tags in the store, synced both ways with WeCom corp tags when
 * the corp API is configured; staff tag from chat (`/tag @张三 VIP`), keyword rules tag members
 * by what they say to the bot, behaviour rules tag by what they did (signed up, claimed a
 * coupon, asked an FAQ entry, came in as a lead). Every change is audited: who or which rule,
 * when. The `campaigns` bot targets segments over these tags.
 *
 * @example
 * tags({
 *   staff: ['zhangsan'],
 *   groups: { 等级: ['VIP'], 地区: ['上海', '北京'] },
 *   keywords: [{ match: ['报价', '价格'], tag: '意向' }],
 *   behaviours: [{ on: 'signup.joined', where: { activity: 'reading' }, tag: '读书会' }, { on: 'coupon.claimed', tag: '领券' }],
 * })
 */
export const tags = defineBotModule({
  name: 'tags',
  options: (input: TagsConfigInput) => parseTagsConfig(input),
  consumes: { commands: ['tag', 'untag', 'tags'] },
  migrations: tagMigrations,
  async setup(m, config, services) {
    const { book, link } = await openFor(services, config);
    listenForBehaviour(services.events, config.behaviours, book, services.log);
    // First, and always passing on: every message records its sender, then the rest of the bot answers.
    m.on('message', async (ctx, next) => {
      await observe(ctx, book, config).catch((err: unknown) => ctx.log.warn({ err }, 'tags: could not record the sender'));
      await next();
    });
    m.command('tag', (ctx) => tagCommand(ctx, book, config, ctx.match, 'add'));
    m.command('untag', (ctx) => tagCommand(ctx, book, config, ctx.match, 'remove'));
    m.command('tags', (ctx) => showTags(ctx, book, config, ctx.match));
    if (link) {
      m.on(['tag:create', 'tag:update', 'tag:delete', 'tag:shuffle'], async (ctx) => {
        const r = await link.pull();
        ctx.log.info(r, 'tags: re-synced from WeCom after a corp tag change');
      });
    }
  },
  jobs: (config, services) => [
    {
      name: config.sync.name,
      schedule: config.sync.schedule,
      handler: async (job) => {
        const { link } = await openFor(services, config);
        if (!link) return;
        job.log.info(await link.pull(), 'tags: synced from WeCom');
      },
    },
  ],
});

/** The book of an installed tags module (the campaigns bot and the CLI read it). */
export function tagBookFor(services: ModuleServices, config: TagsConfig): Promise<TagBook> {
  return openFor(services, config).then((o) => o.book);
}
