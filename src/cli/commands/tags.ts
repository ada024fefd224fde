import type { Command } from 'commander';
import pino from 'pino';
import { moduleTable } from '../../bot/module.js';
import { TagBook } from '../../bots/tags/book.js';
import { CorpTagLink } from '../../bots/tags/corp-sync.js';
import { exportTagsCsv, importTagsCsv, parseTagsCsv } from '../../bots/tags/csv.js';
import { tagsCorpClient } from '../../bots/tags/module.js';
import { tagMigrations } from '../../bots/tags/schema.js';
import { WecombotError } from '../../errors.js';
import { openStoreFromEnv } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { readTextFileArg, writeFileArg } from '../file-arg.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

const STORE_NOTE = `
The tags live in the store of the running bots: WECOMBOT_DATABASE_URL (and
WECOMBOT_STORE_NAMESPACE if the bots set one). With WECOM_CORP_ID and WECOM_CORP_SECRET set,
new tags and customers' tag changes are mirrored to WeCom corp tags, as the bot does.`;

const usage = (message: string, hint?: string) => new WecombotError('cli_usage', message, { hint });

/** The tags module's book on the store the environment names (tables made when absent, as the bot would). */
export async function openTagBook(store: Store, log = pino({ level: 'silent' })): Promise<TagBook> {
  const table = (t: string) => moduleTable(store.namespace, 'tags', t);
  await store.migrate(tagMigrations.map((m) => ({ name: `tags/${m.name}`, up: (db) => m.up(db, table, { dialect: store.sqlDialect }) })));
  return new TagBook(store, table, log, Date.now);
}

async function withBook<T>(work: (book: TagBook) => Promise<T>, options: { corp?: boolean } = {}): Promise<T> {
  const store = await openStoreFromEnv();
  const corp = options.corp ? await tagsCorpClient({ corp: undefined }, store, pino({ level: 'silent' })) : undefined;
  try {
    const book = await openTagBook(store);
    if (corp) book.mirror = new CorpTagLink(book, corp, pino({ level: 'warn' }, process.stderr));
    return await work(book);
  } finally {
    await corp?.close();
    await store.close();
  }
}

function table(rows: string[][]): string {
  const width = (s: string) => Array.from(s).reduce((n, ch) => n + (/[\u1100-\uffff]/u.test(ch) ? 2 : 1), 0);
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? '')))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell + ' '.repeat(Math.max(0, (widths[c] ?? 0) - width(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function checkSubject(subject: string): string {
  if (!/^[\w.@-]{1,128}$/.test(subject)) throw usage(`"${subject}" is not a userid or external userid`, 'e.g. zhangsan or wmXXXXXXXX');
  return subject;
}

/** `wecombot tags add|rm|ls|import|export`. */
export function registerTagsCommand(program: Command): void {
  const tags = program
    .command('tags')
    .description('customer and member tags of the tags bot (segments of campaigns)')
    .addHelpText('after', STORE_NOTE);

  tags
    .command('add')
    .description('give tags to a member (userid) or customer (external userid); new tags are created')
    .argument('<subject>', 'userid or external userid')
    .argument('<tags...>', 'tag names')
    .option('--group <name>', 'the group of tags created now (default 默认)')
    .option('--owner <userid>', "a customer's follow-up staff member (WeCom marks corp tags on their behalf)")
    .option('--name <name>', 'display name, for /tag @name in chat')
    .action(async (subject: string, names: string[], flags: { group?: string; owner?: string; name?: string }) => {
      checkSubject(subject);
      const added = await withBook(
        async (book) => {
          if (flags.owner || flags.name) await book.upsertSubject(subject, { owner: flags.owner, name: flags.name });
          try {
            return await book.add(subject, names, { actor: 'cli', via: 'cli' }, flags.group);
          } catch (err) {
            if (err instanceof TypeError) throw usage(err.message);
            throw err;
          }
        },
        { corp: true },
      );
      process.stdout.write(added.length ? `added ${added.join(', ')} to ${subject}\n` : `${subject} already has ${names.join(', ')}\n`);
    });

  tags
    .command('rm')
    .description('take tags from a subject, or with --delete remove the tags themselves from everyone')
    .argument('<subject-or-tag>', 'userid or external userid (or a tag name with --delete)')
    .argument('[tags...]', 'tag names')
    .option('--delete', 'delete the named tag(s) everywhere (each holder audited)')
    .action(async (first: string, names: string[], flags: { delete?: boolean }) => {
      if (flags.delete) {
        const all = [first, ...names];
        const n = await withBook(async (book) => {
          let holders = 0;
          for (const tag of all) {
            if (!(await book.tagExists(tag))) throw usage(`no tag "${tag}"`, 'wecombot tags ls lists them');
            holders += await book.deleteTag(tag, { actor: 'cli', via: 'cli' });
          }
          return holders;
        });
        return void process.stdout.write(`deleted ${all.join(', ')} (${n} assignments removed)\n`);
      }
      checkSubject(first);
      if (names.length === 0) throw usage('name at least one tag to remove', 'wecombot tags rm zhangsan VIP');
      const removed = await withBook((book) => book.remove(first, names, { actor: 'cli', via: 'cli' }), { corp: true });
      process.stdout.write(removed.length ? `removed ${removed.join(', ')} from ${first}\n` : `${first} has none of ${names.join(', ')}\n`);
    });

  tags
    .command('ls')
    .description('groups and tags with how many carry each; with a subject, its tags (and --audit its history)')
    .argument('[subject]', 'userid or external userid')
    .option('--audit', 'with a subject: every change, newest first (who or which rule, when)')
    .option('--json', 'print JSON')
    .action(async (subject: string | undefined, flags: { audit?: boolean; json?: boolean }) => {
      await withBook(async (book) => {
        if (subject) {
          const tagsOf = await book.tagsOf(checkSubject(subject));
          const audit = flags.audit ? await book.audit(subject, 1000) : undefined;
          if (flags.json)
            return void process.stdout.write(`${JSON.stringify({ subject, tags: tagsOf, ...(audit ? { audit } : {}) }, null, 2)}\n`);
          process.stdout.write(`${subject}: ${tagsOf.join(', ') || '(no tags)'}\n`);
          if (audit) {
            const rows = [
              ['WHEN', 'ACTION', 'TAG', 'BY', 'VIA'],
              ...audit.map((a) => [new Date(a.at).toISOString(), a.action, a.tag, a.actor, a.via]),
            ];
            process.stdout.write(`${table(rows)}\n`);
          }
          return;
        }
        const listing = await book.listing();
        if (flags.json) return void process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
        if (listing.length === 0) return void process.stdout.write('no tags yet\n');
        const rows = [['GROUP', 'TAG', 'COUNT', 'WECOM']];
        for (const g of listing) for (const t of g.tags) rows.push([g.group, t.name, String(t.count), t.corpId ? 'synced' : 'local']);
        process.stdout.write(`${table(rows)}\n`);
      });
    });

  tags
    .command('import')
    .description('add the assignments of a CSV (subject,tag[,group,name,owner]); every line is checked before any is written')
    .argument('<file>', 'CSV file, or - for stdin')
    .action(async (file: string) => {
      const rows = parseTagsCsv(await readTextFileArg(file, 'file'));
      const r = await withBook((book) => importTagsCsv(book, rows), { corp: true });
      process.stderr.write(`imported ${r.lines} lines: ${r.added} new assignments\n`);
    });

  tags
    .command('export')
    .description('every assignment as CSV (subject,tag,group,name,added_at,added_by)')
    .argument('[file]', 'where to write; - or nothing is stdout', '-')
    .action(async (file: string) => {
      const csv = await withBook((book) => exportTagsCsv(book));
      await writeFileArg(file, csv, 'file');
    });

  withEnvAll(tags, [...ENV_HELP.store, ...ENV_HELP.corpApi]);
}
