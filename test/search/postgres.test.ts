import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { PostgresEngine } from '../../src/search/backends/postgres.js';
import { SearchError } from '../../src/search/errors.js';
import { openKnowledgeBase, parsePostgresSpec } from '../../src/search/open.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { engineConformance } from './conformance.js';
import { DOCS } from './fixtures.js';

const available = await serviceAvailable('postgres', POSTGRES_URL);
// Every engine of this file lives in its own schema, dropped at the end.
const schema = `kb_test_${randomBytes(4).toString('hex')}`;
let counter = 0;
const made: PostgresEngine[] = [];

afterAll(async () => {
  if (!available) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

engineConformance(
  'postgres',
  async (o) => {
    const engine = new PostgresEngine({ connectionString: POSTGRES_URL, schema, name: `kb${counter++}`, ...o });
    made.push(engine);
    return engine;
  },
  () => available,
);

describe.runIf(available)('postgres: what indexing learned', () => {
  it('is stored with the tables: another instance expands with it', async () => {
    const name = `kb${counter++}`;
    const writer = new PostgresEngine({ connectionString: POSTGRES_URL, schema, name });
    const reader = new PostgresEngine({ connectionString: POSTGRES_URL, schema, name });
    try {
      await writer.index([
        { path: '星河对象仓库/简介.md', content: '# 简介\n\n星河对象仓库（Star Object Warehouse，SOW）是分布式存储。' },
        { path: '星河对象仓库/常见问题.md', content: '# 常见问题\n\n## 如何计费？\n\n按存储量计费。' },
      ]);
      expect((await reader.search('sow 怎么收钱'))[0]!.path).toBe('星河对象仓库/常见问题.md');
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});

describe.runIf(available)('postgres: tables of an earlier version', () => {
  it('gains the page digest column, and re-analyzes those pages once', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      // The pages table as versions without digests created it, with one page in it.
      await client.query(
        `CREATE TABLE "${schema}"."old_pages" (id serial PRIMARY KEY, path text NOT NULL UNIQUE, title text NOT NULL, url text NOT NULL)`,
      );
      await client.query(`INSERT INTO "${schema}"."old_pages" (path, title, url) VALUES ('a.md', 'A', '')`);
      const engine = new PostgresEngine({ connectionString: POSTGRES_URL, schema, name: 'old' });
      try {
        await engine.init();
        const { rows } = await client.query<{ digest: string }>(`SELECT digest FROM "${schema}"."old_pages" WHERE path = 'a.md'`);
        expect(rows).toEqual([{ digest: '' }]);
        const page = { path: 'a.md', content: '# A\n\n灰度发布' };
        expect(await engine.index([page])).toBe(1);
        expect(await engine.index([page])).toBe(0);
        expect((await engine.search('灰度发布'))[0]!.path).toBe('a.md');
      } finally {
        await engine.close();
      }
    } finally {
      await client.end();
    }
  });
});

describe.runIf(available)('postgres: against the embedded engine', () => {
  let engine: PostgresEngine;
  const embedded = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example' });

  beforeAll(async () => {
    engine = new PostgresEngine({ connectionString: POSTGRES_URL, schema, name: 'same', baseUrl: 'https://d.example' });
    await engine.index(DOCS);
    await embedded.index(DOCS);
  });
  afterAll(() => engine.close());

  it('ranks exactly like the embedded engine (same scorer, same statistics)', async () => {
    for (const q of ['函数计费', '上传 文件', '如何 查看 日志', 'putObject 下载', '负载均衡 会话', '存储桶 名称', '运行环境']) {
      const a = await engine.search(q, { limit: 5 });
      const b = await embedded.search(q, { limit: 5 });
      // Same pages, sections and order; scores agree up to float rounding (PostgreSQL computes
      // the saturated frequencies in double precision, the embedded index from float32 norms).
      expect(
        a.map((h) => [h.path, h.section]),
        q,
      ).toEqual(b.map((h) => [h.path, h.section]));
      a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i]!.score, 2));
      expect(a.map((h) => h.snippet)).toEqual(b.map((h) => h.snippet));
    }
  });

  it('keeps document frequencies and statistics exact through updates', async () => {
    const before = await engine.stats();
    expect(before).toEqual(embedded.stats());
    await engine.remove(['函数/计费说明.md']);
    await embedded.remove(['函数/计费说明.md']);
    expect(await engine.stats()).toEqual(embedded.stats());
    const a = await engine.search('函数 收费');
    const b = await embedded.search('函数 收费');
    expect(a.map((h) => h.path)).toEqual(b.map((h) => h.path));
    await engine.index([DOCS[0]!]);
    await embedded.index([DOCS[0]!]);
    expect(await engine.stats()).toEqual(before);
  });

  it('opens through a postgres:// spec with kb and schema parameters', async () => {
    const kb = await openKnowledgeBase(`${POSTGRES_URL}?kb=same&schema=${schema}`);
    try {
      expect((await kb.search('函数计费'))[0]!.path).toBe('函数/计费说明.md');
    } finally {
      await kb.close();
    }
  });
});

describe('postgres: specs and errors', () => {
  it('splits kb parameters off the connection string', () => {
    expect(parsePostgresSpec('postgres://u:pw@h:5432/db?kb=docs&schema=s1&sslmode=disable')).toEqual({
      connectionString: 'postgres://u:pw@h:5432/db?sslmode=disable',
      name: 'docs',
      schema: 's1',
    });
  });

  it('rejects unsafe table names before any SQL runs', () => {
    expect(() => new PostgresEngine({ connectionString: POSTGRES_URL, name: 'x"; drop table y; --' })).toThrow(SearchError);
  });

  it('reports an unreachable server without leaking the password', async () => {
    const engine = new PostgresEngine({ connectionString: 'postgres://kbuser:sekret-pw@127.0.0.1:1/db' });
    const err = await engine.search('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect((err as SearchError).code).toBe('kb_postgres');
    expect((err as SearchError).message).not.toContain('sekret-pw');
    await engine.close();
  });
});

afterAll(async () => {
  for (const e of made) await e.close();
});
