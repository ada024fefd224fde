import { rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { EmbeddedEngine, EmbeddedOptions } from '../../search/backends/embedded.js';
import type { PostgresEngine } from '../../search/backends/postgres.js';
import { SearchError } from '../../search/errors.js';
import type { EngineOptions } from '../../search/core/config.js';
import { evaluateAll, parseQueries } from '../../search/eval.js';
import { formatEval } from '../../search/eval-report.js';
import { isPostgresSpec, openKnowledgeBase, parsePostgresSpec, type KnowledgeBase } from '../../search/open.js';
import type { Page } from '../../search/types.js';
import type { EmbeddingsEndpoint } from '../../search/embeddings/embedder.js';
import { WecombotError } from '../../errors.js';
import { isInteractive, useColor } from '../color.js';
import { readFileArg, readTextFileArg, refuseBinaryToTerminal, writeFileArg } from '../file-arg.js';
import { ENV_HELP, withEnv } from '../help-env.js';

interface IndexFlags {
  out: string;
  baseUrl?: string;
  urlExt: 'keep' | 'html' | 'none';
  synonyms?: string;
  bigrams?: boolean;
  /** `--no-learn` sets it false. */
  learn: boolean;
  /** `--no-customer-words` sets it false. */
  customerWords: boolean;
  update?: boolean;
  json?: boolean;
  embeddingsUrl?: string;
  embeddingsModel?: string;
}

interface SearchFlags {
  index: string;
  embeddingsUrl?: string;
  embeddingsModel?: string;
  n: string;
  json?: boolean;
  markdown?: boolean;
  highlight: 'bold' | 'warning';
}

interface EvalFlags {
  index: string;
  queries: string;
  field: string;
  by: string;
  compare?: string;
  with?: string;
  json?: boolean;
}

const EMBEDDINGS_KEY = {
  name: 'WECOMBOT_EMBEDDINGS_KEY',
  description: 'API key of the embeddings endpoint (--embeddings-url), sent as a bearer token',
};

/** The `embeddings` option from `--embeddings-url` and `--embeddings-model` (both or neither). */
function embeddingsOf(flags: { embeddingsUrl?: string; embeddingsModel?: string }): EmbeddingsEndpoint | undefined {
  if (flags.embeddingsUrl === undefined && flags.embeddingsModel === undefined) return undefined;
  if (!flags.embeddingsUrl || !flags.embeddingsModel) {
    throw new WecombotError('cli_usage', '--embeddings-url and --embeddings-model go together', {
      hint: 'e.g. --embeddings-url https://api.openai.com/v1 --embeddings-model text-embedding-3-small',
    });
  }
  return { baseUrl: flags.embeddingsUrl, model: flags.embeddingsModel };
}

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/**
 * `wecombot kb`: build a knowledge-base index from Markdown/HTML/text folders, search it and
 * measure its ranking on known-answer queries. `--out`/`--index` take a file or a
 * `postgres://…?kb=<name>&schema=<schema>` URL.
 */
export function registerKbCommand(program: Command): void {
  const kb = program.command('kb').description('knowledge-base search: index folders of docs, search, evaluate');

  const index = kb
    .command('index')
    .description('index Markdown, HTML and text files (paths are relative to each folder)')
    .argument('<dir...>', 'folders to index')
    .requiredOption(
      '--out <file|postgres-url>',
      'index file to write (- for stdout, then the summary goes to stderr), or postgres://… for the PostgreSQL backend',
    )
    .option('--base-url <url>', 'public URL prefix of the pages (front matter `url` wins)')
    .option('--url-ext <keep|html|none>', 'extension of .md/.txt paths in URLs', 'keep')
    .option('--synonyms <file>', 'synonym groups, one a line: `云函数 = SCF` (- for stdin)')
    .option('--bigrams', 'also index CJK character bigrams (bigger index, finds unseen words)')
    .option('--no-learn', 'do not learn product names and abbreviations from the pages')
    .option('--no-customer-words', 'do not expand queries with the built-in customer vocabulary (多少钱 → 计费 …)')
    .option('--update', 'update the existing index: replace the pages found, drop pages no longer there')
    .option('--embeddings-url <url>', 'hybrid search: an OpenAI-compatible endpoint (…/v1) that embeds every section into the index file')
    .option('--embeddings-model <name>', 'the embedding model (with --embeddings-url)')
    .option('--json', 'print the summary as JSON')
    .action(async (dirs: string[], flags: IndexFlags) => runIndex(dirs, flags));
  withEnv(index, [EMBEDDINGS_KEY]);

  const search = kb
    .command('search')
    .description('search an index and print the best pages')
    .requiredOption('--index <file|postgres-url>', 'index file (- for stdin) or postgres://… URL')
    .option('-n <count>', 'number of hits', '5')
    .option('--json', 'print hits as JSON')
    .option('--markdown', 'print the WeCom markdown message the bot would send')
    .option('--highlight <bold|warning>', 'keyword style in --markdown', 'bold')
    .option('--embeddings-url <url>', 'hybrid search over an index with section vectors: the endpoint that embeds the query')
    .option('--embeddings-model <name>', 'the model the index was embedded with')
    .argument('<query...>', 'keywords')
    .action(async (words: string[], flags: SearchFlags) => runSearch(words.join(' '), flags));
  withEnv(search, [...ENV_HELP.color, EMBEDDINGS_KEY]);

  const evaluate = kb
    .command('eval')
    .description('measure recall@1/3/5, MRR@10 and latency on JSON-lines questions {<field>, relevant: [paths]}')
    .requiredOption('--index <file|postgres-url>', 'index file (- for stdin) or postgres://… URL')
    .requiredOption(
      '--queries <file>',
      'JSON lines (- for stdin); relevant paths are relative to the indexed folder; lines with no relevant page are skipped',
    )
    .option('--field <name>', 'the question field (query, keywords, colloquial…)', 'query')
    .option('--by <field>', 'break the scores down by this field', 'product')
    .option('--compare <file|postgres-url>', 'a second index (- for stdin), run on the same questions in the same run')
    .option(
      '--with <json>',
      'options of the second run (over --compare, else over --index): {"params":{…},"customerWords":false,"synonyms":"…"}',
    )
    .option('--json', 'print the result as JSON')
    .action(async (flags: EvalFlags) => runEval(flags));
  withEnv(evaluate, []);
}

async function readPages(dirs: string[], flags: IndexFlags): Promise<Page[]> {
  const { listDocuments, readDocument } = await import('../../search/ingest/walk.js');
  const { parseDocument } = await import('../../search/ingest/document.js');
  const pages: Page[] = [];
  for (const dir of dirs) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory())
      throw new SearchError('kb_ingest', `${dir} is not a folder`, { hint: 'pass folders of .md, .html or .txt files' });
    for (const p of await listDocuments(dir)) {
      pages.push(parseDocument(await readDocument(dir, p), { baseUrl: flags.baseUrl, urlExtension: flags.urlExt }));
    }
  }
  return pages;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise (CI logs, pipes). */
async function progress(total: number): Promise<{ update(n: number): void; stop(): void }> {
  if (!isInteractive(process.stderr) || total === 0) return { update: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'indexing [{bar}] {value}/{total} pages {duration}s', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}

async function runIndex(dirs: string[], flags: IndexFlags): Promise<void> {
  if (!['keep', 'html', 'none'].includes(flags.urlExt)) {
    throw new WecombotError('cli_usage', `--url-ext must be keep, html or none (got ${flags.urlExt})`);
  }
  // `--out -`: the index file on stdout (a pipe or a redirect, never a terminal), the summary on stderr.
  refuseBinaryToTerminal(flags.out, '--out');
  if (flags.out === '-' && flags.update) {
    throw new WecombotError('cli_usage', '--update reads the index it updates, which --out - has not got', {
      hint: 'give the index file: --update --out kb.idx',
    });
  }
  const embeddings = embeddingsOf(flags);
  if (embeddings && isPostgresSpec(flags.out)) {
    throw new SearchError('kb_spec', 'section vectors (--embeddings-url) are stored in an index file only', {
      hint: 'index into a file (--out kb.idx) for hybrid search',
    });
  }
  const started = performance.now();
  const synonyms = flags.synonyms ? await readTextFileArg(flags.synonyms, '--synonyms') : undefined;
  const pages = await readPages(dirs, flags);
  const bar = await progress(pages.length);
  let summary: { pages: number; sections: number; terms: number; bytes: number | undefined; unchanged?: number };
  try {
    if (isPostgresSpec(flags.out)) summary = await indexPostgres(pages, flags, synonyms, bar.update);
    else summary = await indexFile(pages, flags, synonyms, bar.update);
  } finally {
    bar.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const say = flags.out === '-' ? (text: string) => void process.stderr.write(`${text}\n`) : print;
  if (flags.json) return say(JSON.stringify({ ...summary, seconds: Math.round(seconds * 100) / 100 }));
  const size = summary.bytes === undefined ? '' : `, ${(summary.bytes / 1024 / 1024).toFixed(1)} MB`;
  const kept = summary.unchanged ? ` (${summary.unchanged} unchanged)` : '';
  say(
    `indexed ${summary.pages} pages${kept}, ${summary.sections} sections, ${summary.terms} terms${size} in ${seconds.toFixed(1)} s → ${describeTarget(flags.out)}`,
  );
}

function describeTarget(spec: string): string {
  if (spec === '-') return 'stdout';
  if (!isPostgresSpec(spec)) return spec;
  const { connectionString, name, schema } = parsePostgresSpec(spec);
  const u = new URL(connectionString);
  return `postgres ${u.host}${u.pathname} (${schema ? `${schema}.` : ''}${name ?? 'wecombot_kb'}_*)`;
}

async function indexFile(pages: Page[], flags: IndexFlags, synonyms: string | undefined, onPage: (n: number) => void) {
  const { EmbeddedEngine } = await import('../../search/backends/embedded.js');
  const { createIndexAnalyzer } = await import('../../search/text/analyzer.js');
  let engine: EmbeddedEngine;
  const existing = flags.update ? await stat(flags.out).catch(() => undefined) : undefined;
  if (existing) {
    engine = EmbeddedEngine.load(flags.out, { ...(synonyms !== undefined ? { synonyms } : {}), embeddings: embeddingsOf(flags) });
    const present = new Set(pages.map((p) => p.path));
    const gone = [...engine.kb.livePageRecords()].map((p) => p.path).filter((p) => !present.has(p));
    await engine.remove(gone);
  } else {
    engine = new EmbeddedEngine(undefined, {
      synonyms,
      bigrams: flags.bigrams,
      learn: flags.learn,
      customerWords: flags.customerWords,
      embeddings: embeddingsOf(flags),
    });
  }
  const analyzer = await createIndexAnalyzer({ bigrams: engine.config.bigrams });
  // All pages in one call: names and aliases are learned from the whole set.
  const analyzed = engine.indexWith(pages, analyzer, onPage);
  onPage(pages.length);
  // Sections without a vector (all on a fresh build, the changed ones on an update).
  const embedded = embeddingsOf(flags) ? await engine.embed() : 0;
  // An update that changed no page and no setting leaves the file as it is.
  if (existing && engine.kb.version === 0 && synonyms === undefined && embedded === 0) {
    await engine.close();
    return { ...engine.stats(), bytes: existing.size, unchanged: pages.length - analyzed };
  }
  if (flags.out === '-') {
    const buffer = engine.toBuffer();
    await engine.close();
    await writeFileArg('-', buffer);
    return { ...engine.stats(), bytes: buffer.length, unchanged: pages.length - analyzed };
  }
  // Write next to the target, then rename: a reader never sees half a file.
  const tmp = path.join(path.dirname(path.resolve(flags.out)), `.${path.basename(flags.out)}.${process.pid}.tmp`);
  let bytes: number;
  try {
    bytes = await engine.save(tmp);
    await engine.close();
    await rename(tmp, flags.out);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new SearchError('kb_index_read', `cannot write ${flags.out}`, { hint: 'check the folder exists and is writable', cause });
  }
  return { ...engine.stats(), bytes, unchanged: pages.length - analyzed };
}

async function indexPostgres(pages: Page[], flags: IndexFlags, synonyms: string | undefined, onPage: (n: number) => void) {
  const { PostgresEngine } = await import('../../search/backends/postgres.js');
  const spec = parsePostgresSpec(flags.out);
  const options = { ...spec, synonyms, bigrams: flags.bigrams, learn: flags.learn, customerWords: flags.customerWords };
  let engine: PostgresEngine = new PostgresEngine(options);
  try {
    if (flags.update) {
      await engine.init();
    } else {
      // A fresh build: drop the old tables so the stored configuration is rebuilt too.
      await engine.drop();
      await engine.close();
      engine = new PostgresEngine(options);
    }
    const analyzed = await engine.index(pages, onPage);
    if (flags.update) {
      const present = new Set(pages.map((p) => p.path));
      const gone = (await engine.paths()).filter((p) => !present.has(p));
      if (gone.length > 0) await engine.remove(gone);
    }
    return { ...(await engine.stats()), bytes: undefined, unchanged: pages.length - analyzed };
  } finally {
    await engine.close();
  }
}

async function runSearch(query: string, flags: SearchFlags): Promise<void> {
  const limit = Number(flags.n);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new SearchError('kb_spec', '-n must be an integer from 1 to 100');
  const embeddings = embeddingsOf(flags);
  const kb = await openIndexArg(flags.index, '--index', embeddings ? { embeddings } : undefined);
  try {
    const hits = await kb.search(query, { limit });
    if (flags.json) return print(JSON.stringify(hits, null, 2));
    if (flags.markdown) {
      const { renderHitsMarkdown } = await import('../../search/render-markdown.js');
      return print(renderHitsMarkdown(query, hits, { highlight: flags.highlight === 'warning' ? 'warning' : 'bold' }));
    }
    if (hits.length === 0) return print(`no results for "${query}"`);
    const color = useColor(process.stdout);
    hits.forEach((h, i) => {
      let snippet = '';
      let at = 0;
      for (const [s, e] of h.highlights) {
        snippet += h.snippet.slice(at, s) + (color ? `\x1b[1;33m${h.snippet.slice(s, e)}\x1b[0m` : `[${h.snippet.slice(s, e)}]`);
        at = e;
      }
      snippet += h.snippet.slice(at);
      print(`${i + 1}. ${h.title}${h.section && h.section !== h.title ? ` · ${h.section}` : ''}  (${h.score})`);
      print(`   ${h.url || h.path}`);
      if (snippet) print(`   ${snippet}`);
    });
  } finally {
    await kb.close();
  }
}

async function runEval(flags: EvalFlags): Promise<void> {
  const text = await readTextFileArg(flags.queries, '--queries');
  const queries = parseQueries(text);
  const runs = [{ name: flags.index, spec: flags.index, options: undefined as EngineOptions | undefined }];
  if (flags.compare !== undefined || flags.with !== undefined) {
    const spec = flags.compare ?? flags.index;
    const options = flags.with === undefined ? undefined : parseRunOptions(flags.with);
    runs.push({ name: flags.with === undefined ? spec : `${spec} ${flags.with}`, spec, options });
  }
  const kbs: KnowledgeBase[] = [];
  try {
    // `--index - --compare -` opens one stdin, once; the second `-` is a usage error (readFileArg).
    for (const [i, run] of runs.entries()) kbs.push(await openIndexArg(run.spec, i === 0 ? '--index' : '--compare', run.options));
    const results = await evaluateAll(
      kbs.map((kb) => (q: string, limit: number) => kb.search(q, { limit })),
      queries,
      { field: flags.field, groupBy: flags.by },
    );
    if (flags.json) {
      if (results.length === 1) return print(JSON.stringify(results[0]));
      return print(JSON.stringify({ field: flags.field, runs: results.map((r, i) => ({ name: runs[i]!.name, ...r })) }));
    }
    print(
      formatEval(
        results,
        runs.map((r) => r.name),
      ),
    );
  } finally {
    for (const kb of kbs) await kb.close();
  }
}

/** The options of a comparison run, from `--with`. */
function parseRunOptions(json: string): EngineOptions {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new SearchError('kb_spec', '--with is not JSON', { hint: `e.g. --with '{"params":{"questionPrior":0}}'`, cause });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new SearchError('kb_spec', '--with must be a JSON object of engine options');
  return value as EngineOptions;
}

/**
 * Opens an `--index`/`--compare` argument, with options that override what it was built with:
 * `-` reads an index file from stdin, a postgres:// URL the PostgreSQL backend, anything else a file.
 */
async function openIndexArg(spec: string, flag: string, options: EmbeddedOptions | undefined): Promise<KnowledgeBase> {
  if (spec === '-') {
    const buffer = await readFileArg('-', flag);
    const { EmbeddedEngine } = await import('../../search/backends/embedded.js');
    try {
      return EmbeddedEngine.fromBuffer(buffer, options);
    } catch (cause) {
      if (cause instanceof SearchError) throw cause;
      throw new SearchError('kb_index_read', `${flag} -: stdin is not an index file (${buffer.length} bytes)`, {
        hint: 'pipe in a file written by `wecombot kb index <dir> --out <file>`',
        cause,
      });
    }
  }
  if (!options) return openKnowledgeBase(spec);
  if (!isPostgresSpec(spec)) return openKnowledgeBase({ file: spec, options });
  // Section vectors live in index files only: the PostgreSQL backend searches without them.
  const { embeddings: _vectors, fusion: _fusion, ...engine } = options;
  return openKnowledgeBase({ postgres: spec, options: engine });
}
