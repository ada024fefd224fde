/**
 * `wecombot faq index|unanswered|promote`: the FAQ bot's offline side. The faq module of the
 * config says which Q&A file, index file and store; secrets are not needed to build an index.
 */
import type { Command } from 'commander';
import type { Bot } from '../../bot/bot.js';
import { isBotModule } from '../../bot/module.js';
import type { FaqConfig } from '../../bots/faq/config.js';
import { buildFaqIndex } from '../../bots/faq/loader.js';
import { promotePhrasing } from '../../bots/faq/promote.js';
import { UNANSWERED_TABLE, questionKey } from '../../bots/faq/unanswered-schema.js';
import { UnansweredLog } from '../../bots/faq/unanswered.js';
import { createBotFromConfig } from '../../config/create.js';
import { loadConfig } from '../../config/load.js';
import { moduleTable } from '../../bot/module.js';
import { WecombotError } from '../../errors.js';
import { refuseBinaryToTerminal, writeFileArg } from '../file-arg.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

const CONFIG_HELP = 'config file (default: wecombot.config.(ts|js|json) in the current directory)';

class FaqCliError extends WecombotError {
  constructor(message: string, hint?: string) {
    super('cli_usage', message, { hint });
  }
}

/** The options of the config's faq module. */
async function faqOptions(configPath: string | undefined): Promise<{ options: FaqConfig; path: string | undefined }> {
  const { config, path } = await loadConfig({ path: configPath });
  const module = (config.bots ?? []).find((b) => isBotModule(b) && b.name === 'faq');
  if (!module)
    throw new FaqCliError(
      `no faq module in ${path ?? 'the current directory (no wecombot.config.* found)'}`,
      "add faq({ source: './faq.yaml' }) to bots: [...]",
    );
  return { options: module.options as FaqConfig, path };
}

/** The unanswered log of the store `wecombot serve` uses (the environment's database). */
async function withLog<T>(configPath: string | undefined, run: (log: UnansweredLog, options: FaqConfig) => Promise<T>): Promise<T> {
  const { options } = await faqOptions(configPath);
  const { config } = await loadConfig({ path: configPath });
  // Installing the modules applies the faq migrations, so the table exists even before any question.
  const bot: Bot = await createBotFromConfig({ ...config, logLevel: 'silent' }, { runtime: 'node' });
  const store = await bot.store();
  try {
    return await run(new UnansweredLog(() => store.db(), moduleTable(store.namespace, 'faq', UNANSWERED_TABLE)), options);
  } finally {
    await bot.close();
    await store.close();
  }
}

function table(rows: string[][]): string {
  const width = (s: string) => Array.from(s).reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell + ' '.repeat(Math.max(0, widths[c]! - width(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function writeIndex(options: FaqConfig, out: string | undefined): Promise<string> {
  const target = out ?? options.index;
  if (!target) throw new FaqCliError('the faq module has no index file to write', "set index: './faq.idx' in its options, or pass --out");
  refuseBinaryToTerminal(target, '--out');
  const index = await buildFaqIndex(options);
  await writeFileArg(target, index.toBuffer());
  return `${target === '-' ? 'stdout' : target}: ${index.entries.length} entries from ${options.source}`;
}

/** `wecombot faq …`. */
export function registerFaqCommand(program: Command): void {
  const faq = program.command('faq').description('the FAQ bot: build its index, list unanswered questions, promote one to a phrasing');

  faq
    .command('index')
    .description('build the index file of the faq module (fast cold starts: no jieba at run time)')
    .option('-c, --config <path>', CONFIG_HELP)
    .option('--out <file>', 'where to write it (default: the module’s index option; - for stdout, the summary then on stderr)')
    .action(async (flags: { config?: string; out?: string }) => {
      const { options } = await faqOptions(flags.config);
      const summary = await writeIndex(options, flags.out);
      (flags.out === '-' ? process.stderr : process.stdout).write(`${summary}\n`);
    });

  faq
    .command('unanswered')
    .description('questions the FAQ did not answer outright, the most asked first')
    .option('-c, --config <path>', CONFIG_HELP)
    .option('--limit <n>', 'rows to show', '50')
    .option('--all', 'include the promoted ones')
    .option('--json', 'print JSON')
    .action(async (flags: { config?: string; limit: string; all?: boolean; json?: boolean }) => {
      const rows = await withLog(flags.config, (log) => log.list({ limit: Number(flags.limit) || 50, all: flags.all ?? false }));
      if (flags.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (rows.length === 0) return void process.stdout.write('no unanswered questions\n');
      const shown = [['COUNT', 'QUESTION', 'OUTCOME', 'CLOSEST', 'CLICKED', 'LAST ASKED']];
      for (const r of rows) {
        shown.push([
          String(r.count),
          r.question,
          r.promoted_id !== null ? `promoted → ${r.promoted_id}` : r.outcome,
          r.best_id?.toString() ?? '-',
          r.clicked_id?.toString() ?? '-',
          new Date(r.last_at).toISOString().slice(0, 16).replace('T', ' '),
        ]);
      }
      process.stdout.write(`${table(shown)}\n\npromote one: wecombot faq promote "<question>" --to <entry id>\n`);
    });

  faq
    .command('promote')
    .description('add a logged question as a phrasing of an entry (writes the Q&A file, rebuilds the index file)')
    .argument('<question>', 'the question as listed by `wecombot faq unanswered`')
    .option('--to <id>', 'the entry id (default: the suggestion the customer clicked)')
    .option('-c, --config <path>', CONFIG_HELP)
    .action(async (question: string, flags: { to?: string; config?: string }) => {
      const message = await withLog(flags.config, async (log, options) => {
        const row = await log.get(questionKey(question));
        const to = flags.to !== undefined ? Number(flags.to) : (row?.clicked_id ?? undefined);
        if (to === undefined || !Number.isInteger(to)) {
          throw new FaqCliError(
            `no entry to promote "${question}" to`,
            'pass --to <entry id> (ids are in the Q&A file, or the CLOSEST column of `wecombot faq unanswered`)',
          );
        }
        const entry = await promotePhrasing(options.source, to, row?.question ?? question);
        if (row) await log.promoted(row.key, entry.id);
        const lines = [`${options.source}: entry ${entry.id} "${entry.question}" now has ${entry.phrasings.length} phrasing(s)`];
        if (options.index) lines.push(await writeIndex(options, undefined));
        return lines.join('\n');
      });
      process.stdout.write(`${message}\n`);
    });
  withEnvAll(faq, ENV_HELP.store);
}
