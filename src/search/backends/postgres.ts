import type { Pool, PoolClient } from 'pg';
import { querySynonyms, resolveConfig, type EngineConfig, type EngineOptions } from '../core/config.js';
import { learnForIndexing } from '../core/learning.js';
import { toHits } from '../core/hits.js';
import { sectionTermsWith } from '../core/page-terms.js';
import type { Posting } from '../core/posting.js';
import { candidateCount, rerank, sectionPhraseText } from '../core/proximity.js';
import { IMPACT_STEPS, Scorer } from '../core/scorer.js';
import { redactError, redactUrl, secretsOfUrl } from '../../redact.js';
import { SearchError } from '../errors.js';
import { parseDocument, type UrlOptions } from '../ingest/document.js';
import type { IndexAnalyzer } from '../text/analyzer.js';
import { latestWithDigests } from '../core/page-digest.js';
import { queryCandidates } from '../text/candidates.js';
import { parseQuery, type ParsedQuery } from '../text/query.js';
import type { Page, SearchEngine, SearchHit, SearchOptions, SourceDocument } from '../types.js';
import { createStatements, dropStatements, pgTables, type PgTables } from './postgres-schema.js';
import { insertPages } from './postgres-write.js';

/** Options of the PostgreSQL engine. */
export interface PostgresOptions extends EngineOptions, UrlOptions {
  /** Connection string (`postgres://user@host:5432/db`); ignored when `pool` is given. */
  connectionString?: string;
  /** An existing pool (the caller closes it). */
  pool?: Pool;
  /** Base name of the tables (`<name>_pages`, `<name>_postings`…); default `wecombot_kb`. */
  name?: string;
  /** Schema of the tables (created if missing); default: the connection's search path. */
  schema?: string;
}

interface Stats {
  sections: number;
  lenSums: number[];
  totalDf: number;
  maxTermLength: number;
}

/** Where the backend connects, for messages: the connection string without its password. */
function where(url: string | undefined): string {
  return url ? redactUrl(url) : 'PostgreSQL';
}

/** A driver error that cannot leak the connection string or its password, to keep as a cause. */
function safeCause(cause: unknown, url: string | undefined): unknown {
  return url ? redactError(cause, secretsOfUrl(url)) : cause;
}

/**
 * The knowledge base in PostgreSQL, for large bases shared by many function instances. Tables
 * hold pages, sections (with field lengths), postings (per-field term counts) and terms (with
 * document frequencies). A search fetches the postings of its candidate terms and ranks them
 * with the same BM25F scorer as the embedded engine — not `ts_rank`, which has no IDF.
 */
export class PostgresEngine implements SearchEngine {
  readonly tables: PgTables;
  private config: EngineConfig | undefined;
  private pool: Pool | undefined;
  private readonly ownsPool: boolean;
  private analyzer: IndexAnalyzer | undefined;
  private scorer: Scorer | undefined;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: PostgresOptions) {
    this.tables = pgTables(options.name, options.schema);
    this.pool = options.pool;
    this.ownsPool = !options.pool;
  }

  private async getPool(): Promise<Pool> {
    if (!this.pool) {
      const mod = await import('pg');
      const PoolCtor = (mod.default ?? mod).Pool;
      this.pool = new PoolCtor({ connectionString: this.options.connectionString, max: 4 });
      // An idle client's network error must not crash the process; the next query reports it.
      this.pool.on('error', () => undefined);
    }
    return this.pool;
  }

  private async query<R extends object>(sql: string, params: unknown[] = [], client?: PoolClient): Promise<R[]> {
    try {
      const runner = client ?? (await this.getPool());
      const res = await runner.query(sql, params);
      return res.rows as R[];
    } catch (cause) {
      const safe = safeCause(cause, this.options.connectionString);
      throw new SearchError(
        'kb_postgres',
        `PostgreSQL query failed on ${where(this.options.connectionString)}: ${(safe as Error).message}`,
        {
          hint: 'check the connection string and that the database is reachable',
          cause: safe,
        },
      );
    }
  }

  /** Creates the tables if needed and reads the stored configuration. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      for (const sql of createStatements(this.tables)) await this.query(sql);
      const rows = await this.query<{ value: Partial<EngineConfig> }>(`SELECT value FROM ${this.tables.meta} WHERE key = 'config'`);
      this.config = resolveConfig(this.options, rows[0]?.value);
      if (rows.length === 0) await this.saveConfig();
      this.scorer = new Scorer(this.config.params);
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async saveConfig(client?: PoolClient, config = this.config): Promise<void> {
    await this.query(
      `INSERT INTO ${this.tables.meta} (key, value) VALUES ('config', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(config)],
      client,
    );
  }

  /** Uses a given analyzer instead of loading jieba. */
  setAnalyzer(analyzer: IndexAnalyzer): void {
    this.analyzer = analyzer;
  }

  private async getAnalyzer(): Promise<IndexAnalyzer> {
    if (!this.analyzer) {
      const { createIndexAnalyzer } = await import('../text/analyzer.js');
      this.analyzer = await createIndexAnalyzer({ bigrams: this.config!.bigrams });
    }
    return this.analyzer;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.getPool();
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw new SearchError('kb_postgres', `cannot connect to ${where(this.options.connectionString)}`, {
        hint: 'check the connection string',
        cause: safeCause(cause, this.options.connectionString),
      });
    }
    try {
      await client.query('BEGIN');
      // One writer at a time per knowledge base: document frequencies are read-modify-write.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.tables.postings]);
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Indexes pages; a page already stored from the same content is left as it is. Resolves to
   * how many pages were (re)analyzed.
   */
  async index(docs: ReadonlyArray<Page | SourceDocument>, onPage?: (done: number) => void): Promise<number> {
    await this.init();
    const urlOptions: UrlOptions = { baseUrl: this.options.baseUrl, urlExtension: this.options.urlExtension };
    const parsed = docs.map((d) => ('sections' in d ? d : parseDocument(d, urlOptions)));
    const latest = latestWithDigests(parsed);
    const rows = await this.query<{ path: string; digest: string }>(
      `SELECT path, digest FROM ${this.tables.pages} WHERE path = ANY($1::text[])`,
      [latest.map(({ page }) => page.path)],
    );
    const stored = new Map(rows.map((r) => [r.path, r.digest]));
    const changed = latest.filter(({ page, digest }) => stored.get(page.path) !== digest);
    if (changed.length === 0) return 0;
    const pages = changed.map((c) => c.page);
    // Learned from the pages of this call, as the embedded engine does (see learning.ts).
    const learning = learnForIndexing(this.config!, pages, await this.getAnalyzer());
    const terms = sectionTermsWith(learning.analyzer);
    const config = { ...this.config!, learned: learning.learned };
    await this.transaction(async (client) => {
      await this.saveConfig(client, config);
      await this.removeIn(
        client,
        pages.map((p) => p.path),
      );
      await insertPages(
        (sql, params) => this.query(sql, params, client),
        this.tables,
        pages,
        changed.map((c) => c.digest),
        terms,
        onPage,
      );
      await this.refreshStats(client);
    });
    this.config = config;
    await this.vacuum();
    return pages.length;
  }

  /**
   * Refreshes planner statistics and the visibility map after a bulk change, so searches use
   * index-only scans. Runs outside the transaction (VACUUM cannot run inside one).
   */
  private async vacuum(): Promise<void> {
    await this.query(`VACUUM (ANALYZE) ${this.tables.postings}`);
    await this.query(`ANALYZE ${this.tables.terms}`);
  }

  async remove(paths: readonly string[]): Promise<void> {
    await this.init();
    await this.transaction(async (client) => {
      await this.removeIn(client, paths);
      await this.refreshStats(client);
    });
    await this.vacuum();
  }

  private async removeIn(client: PoolClient, paths: readonly string[]): Promise<void> {
    const t = this.tables;
    const gone = `SELECT s.id FROM ${t.sections} s JOIN ${t.pages} p ON p.id = s.page_id WHERE p.path = ANY($1::text[])`;
    await this.query(
      `UPDATE ${t.terms} t SET df = t.df - c.n
       FROM (SELECT term, count(*)::int AS n FROM ${t.postings} WHERE section_id IN (${gone}) GROUP BY term) c
       WHERE t.term = c.term`,
      [paths],
      client,
    );
    await this.query(`DELETE FROM ${t.postings} WHERE section_id IN (${gone})`, [paths], client);
    await this.query(`DELETE FROM ${t.terms} WHERE df <= 0`, [], client);
    await this.query(`DELETE FROM ${t.pages} WHERE path = ANY($1::text[])`, [paths], client);
  }

  private async refreshStats(client: PoolClient): Promise<void> {
    const t = this.tables;
    await this.query(
      `INSERT INTO ${t.meta} (key, value)
       SELECT 'stats', jsonb_build_object(
         'sections', s.n, 'lenSums', jsonb_build_array(s.a, s.b, s.c, s.d), 'totalDf', d.total, 'maxTermLength', d.longest)
       FROM (SELECT count(*) AS n, coalesce(sum(len_title), 0) AS a, coalesce(sum(len_heading), 0) AS b,
                    coalesce(sum(len_context), 0) AS c, coalesce(sum(len_body), 0) AS d FROM ${t.sections}) s,
            (SELECT coalesce(sum(df), 0) AS total, coalesce(max(length(term)), 0) AS longest
             FROM ${t.terms} WHERE left(term, 1) <> chr(1)) d
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [],
      client,
    );
  }

  /** The query as the engine understands it, after one vocabulary round trip. */
  async parse(query: string): Promise<{ parsed: ParsedQuery; stats: Stats }> {
    await this.init();
    const config = this.config!;
    const t = this.tables;
    const synonyms = querySynonyms(config);
    const candidates = queryCandidates(query, synonyms);
    const rows = await this.query<{ term: string | null; df: number; stats: Stats | null }>(
      `SELECT term, df, NULL::jsonb AS stats FROM ${t.terms} WHERE term = ANY($1::text[])
       UNION ALL SELECT NULL, 0, value FROM ${t.meta} WHERE key = 'stats'`,
      [candidates],
    );
    const dfs = new Map<string, number>();
    let stats: Stats = { sections: 0, lenSums: [0, 0, 0, 0], totalDf: 0, maxTermLength: 0 };
    for (const r of rows) {
      if (r.stats) stats = r.stats;
      else if (r.term !== null) dfs.set(r.term, r.df);
    }
    const vocab = {
      df: (term: string) => dfs.get(term) ?? 0,
      totalDf: stats.totalDf,
      maxTermLength: stats.maxTermLength,
      liveSections: stats.sections,
    };
    const parsed = parseQuery(query, vocab, synonyms, { ...config.params, bigrams: config.bigrams });
    return { parsed, stats };
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 5, 100));
    const { parsed, stats } = await this.parse(query);
    if (parsed.clauses.length === 0 || stats.sections === 0) return [];
    const config = this.config!;
    const t = this.tables;
    const terms = [...new Set(parsed.clauses.flatMap((c) => c.alternatives.flatMap((a) => a.map((w) => w.term))))];
    // PostgreSQL computes each entry's saturated BM25F frequency (what the embedded engine
    // derives from field counts and length norms) and sends one compact row per term: the
    // driver parses three strings instead of thousands of rows.
    const { k1, weights: w, b } = config.params;
    const avg = stats.lenSums.map((sum) => Math.max(sum / Math.max(stats.sections, 1), 1e-6));
    const fields = ['title', 'heading', 'context', 'body'];
    const tfw = fields
      .map((f, i) => `$${2 + i}::float8 * tf_${f} / (1 - $${6 + i}::float8 + $${6 + i}::float8 * len_${f} / $${10 + i}::float8)`)
      .join(' + ');
    // Impact steps (stepOfTf in core/scorer.ts), the same numbers the embedded engine scores with.
    const rows = await this.query<{ term: string; ids: string; pages: string; impacts: string }>(
      `SELECT term, string_agg(section_id::text, ',') AS ids, string_agg(page_id::text, ',') AS pages,
              string_agg(round(${IMPACT_STEPS} * x / ($14::float8 + x))::int::text, ',') AS impacts
       FROM (SELECT term, section_id, page_id, ${tfw} AS x FROM ${t.postings} WHERE term = ANY($1::text[])) p
       GROUP BY term`,
      [terms, ...w, ...b, ...avg, k1],
    );
    // Dense local numbering of the sections and pages this query touches.
    const local = new Map<number, number>();
    const pageLocal = new Map<number, number>();
    const sectionIds: number[] = [];
    const pageIds: number[] = [];
    const pageOf: number[] = [];
    const postings = new Map<string, Posting>();
    for (const r of rows) {
      const sIds = r.ids.split(',');
      const pIds = r.pages.split(',');
      const imp = r.impacts.split(',');
      const ids = new Int32Array(sIds.length);
      const steps = new Uint16Array(sIds.length);
      for (let i = 0; i < sIds.length; i++) {
        const s = Number(sIds[i]);
        let id = local.get(s);
        if (id === undefined) {
          id = sectionIds.length;
          local.set(s, id);
          sectionIds.push(s);
          const p = Number(pIds[i]);
          let page = pageLocal.get(p);
          if (page === undefined) {
            page = pageIds.length;
            pageLocal.set(p, page);
            pageIds.push(p);
          }
          pageOf.push(page);
        }
        ids[i] = id;
        steps[i] = Number(imp[i]);
      }
      postings.set(r.term, { ids, tfs: new Uint16Array(0), steps });
    }
    // Impacts arrive computed: the scorer needs no length norms.
    const norms = new Float32Array(0);
    const candidates = this.scorer!.rank(
      parsed,
      { liveSections: stats.sections, posting: (term) => postings.get(term) },
      { pageOf, norms, pageSlots: pageIds.length },
      candidateCount(limit),
    );
    if (candidates.length === 0) return [];
    const detail = await this.query<{
      id: number;
      heading: string;
      anchor: string;
      body: string;
      path: string;
      title: string;
      url: string;
    }>(
      `SELECT s.id, s.heading, s.anchor, s.body, p.path, p.title, p.url
       FROM ${t.sections} s JOIN ${t.pages} p ON p.id = s.page_id WHERE s.id = ANY($1::int[])`,
      [candidates.map((r) => sectionIds[r.section]!)],
    );
    const byId = new Map(detail.map((d) => [d.id, d]));
    const sectionOf = (localId: number) => byId.get(sectionIds[localId]!)!;
    const ranked = rerank(
      candidates,
      parsed,
      (id) => sectionPhraseText(sectionOf(id).heading, sectionOf(id).title),
      config.params,
      limit,
      sectionOf,
    );
    const pageSection = new Map(ranked.map((r) => [r.page, r.section]));
    return toHits(
      ranked,
      parsed,
      {
        page: (p) => sectionOf(pageSection.get(p)!),
        section: (id) => ({ heading: sectionOf(id).heading, anchor: sectionOf(id).anchor, text: sectionOf(id).body }),
      },
      config.snippetChars,
    );
  }

  /** Sizes for summaries. */
  async stats(): Promise<{ pages: number; sections: number; terms: number }> {
    await this.init();
    const t = this.tables;
    const [row] = await this.query<{ pages: string; sections: string; terms: string }>(
      `SELECT (SELECT count(*) FROM ${t.pages}) AS pages, (SELECT count(*) FROM ${t.sections}) AS sections, (SELECT count(*) FROM ${t.terms}) AS terms`,
    );
    return { pages: Number(row!.pages), sections: Number(row!.sections), terms: Number(row!.terms) };
  }

  /** Paths of all indexed pages. */
  async paths(): Promise<string[]> {
    await this.init();
    return (await this.query<{ path: string }>(`SELECT path FROM ${this.tables.pages} ORDER BY path`)).map((r) => r.path);
  }

  /** Drops the knowledge-base tables (tests, rebuilding from scratch). */
  async drop(): Promise<void> {
    for (const sql of dropStatements(this.tables)) await this.query(sql);
    this.ready = undefined;
  }

  async close(): Promise<void> {
    if (this.ownsPool && this.pool) await this.pool.end();
    this.pool = undefined;
  }
}
