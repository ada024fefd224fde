import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { createEmbedder } from '../../src/search/embeddings/embedder.js';
import { fuseRankings } from '../../src/search/embeddings/fusion.js';
import { nearest, normalized, quantize } from '../../src/search/embeddings/vectors.js';
import { SearchError } from '../../src/search/errors.js';
import { fakeEmbedding, startFakeEmbeddings, type FakeEmbeddingsServer } from '../../src/testing/fake-embeddings.js';
import { DOCS } from './fixtures.js';

const KEY = 'sk-test-embeddings-secret';

describe('hybrid search', () => {
  let fake: FakeEmbeddingsServer;
  let dir: string;
  const env = { WECOMBOT_EMBEDDINGS_KEY: KEY };

  beforeAll(async () => {
    fake = await startFakeEmbeddings({ apiKey: KEY, dims: 128, models: ['fake-1', 'fake-2'] });
    dir = await mkdtemp(path.join(os.tmpdir(), 'kb-hybrid-'));
    process.env.WECOMBOT_EMBEDDINGS_KEY = KEY;
  });
  afterAll(async () => {
    delete process.env.WECOMBOT_EMBEDDINGS_KEY;
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  const endpoint = (model = 'fake-1') => ({ baseUrl: fake.baseUrl, model, batchSize: 3 });

  it('quantized cosine stays close to the float one', () => {
    const a = fakeEmbedding('云函数的计费方式', 128);
    const b = fakeEmbedding('函数怎么收费', 128);
    const exact = [...normalized(a)].reduce((s, x, i) => s + x * normalized(b)[i]!, 0);
    const q = quantize([b], 128);
    const [[, sim]] = nearest(normalized(a), q, 1, () => true) as [[number, number]];
    expect(Math.abs(sim - exact)).toBeLessThan(0.02);
  });

  it('fuses by reciprocal rank: agreement beats one list’s top page, ties keep the lexical order', () => {
    const lexical = [
      { page: 1, section: 10, score: 9 },
      { page: 2, section: 20, score: 5 },
    ];
    const vector = [
      { page: 3, section: 30, score: 0.9 },
      { page: 2, section: 21, score: 0.8 },
    ];
    const fused = fuseRankings(lexical, vector, 3);
    expect(fused.map((r) => r.page)).toEqual([2, 1, 3]);
    // The lexical section is the one shown for a page both lists have.
    expect(fused[0]!.section).toBe(20);
    expect(fuseRankings(lexical, [], 2).map((r) => r.page)).toEqual([1, 2]);
    expect(fuseRankings(lexical, vector, 3, { vectorWeight: 0 }).map((r) => r.page)).toEqual([1, 2, 3]);
  });

  it('batches, orders by index, and sends the key without ever showing it', async () => {
    const before = fake.requests;
    const embedder = createEmbedder(endpoint(), env);
    const vectors = await embedder.embed(['甲', '乙', '丙', '丁', '戊']);
    expect(vectors).toHaveLength(5);
    expect(fake.requests - before).toBe(2);
    expect([...vectors[3]!]).toEqual([...fakeEmbedding('丁', 128)]);
    const wrongKey = createEmbedder(endpoint(), { WECOMBOT_EMBEDDINGS_KEY: 'sk-wrong-secret' });
    const err = await wrongKey.embed(['x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect((err as SearchError).code).toBe('kb_embeddings');
    expect((err as SearchError).hint).toMatch(/WECOMBOT_EMBEDDINGS_KEY/);
    expect(JSON.stringify(err) + String(err) + (err as Error).message).not.toMatch(/sk-wrong-secret|sk-test/);
  });

  it('refuses bad options by field, and bad answers clearly', async () => {
    expect(() => createEmbedder({ baseUrl: 'not a url', model: 'm' })).toThrow(/embeddings\.baseUrl/);
    expect(() => createEmbedder({ baseUrl: 'https://u:p@x.example/v1', model: 'm' })).toThrow(/credentials/);
    expect(() => createEmbedder({ baseUrl: fake.baseUrl, model: '' })).toThrow(/embeddings\.model/);
    expect(() => createEmbedder({ baseUrl: fake.baseUrl, model: 'm', batchSize: 0 })).toThrow(/embeddings\.batchSize/);
    const short = createEmbedder(async (texts) => texts.slice(1).map(() => [1, 2]));
    await expect(short.embed(['a', 'b'])).rejects.toThrow(/1 vectors for 2 texts/);
    const ragged = createEmbedder(async () => [[1, 2], [1]]);
    await expect(ragged.embed(['a', 'b'])).rejects.toThrow(/dimensions/);
    const nan = createEmbedder(async () => [[1, Number.NaN]]);
    await expect(nan.embed(['a'])).rejects.toThrow(/non-finite/);
    fake.failNext(503);
    await expect(createEmbedder(endpoint(), env).embed(['a'])).rejects.toThrow(/HTTP 503/);
    const down = createEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2000 });
    await expect(down.embed(['a'])).rejects.toMatchObject({ code: 'kb_embeddings' });
  });

  it('stores vectors in the index, reads them only for hybrid queries, and keeps them through updates', async () => {
    const engine = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example', embeddings: endpoint() });
    await engine.index(DOCS);
    const sections = engine.stats().sections;
    expect(await engine.embed()).toBe(sections);
    // Nothing is embedded twice.
    expect(await engine.embed()).toBe(0);
    const file = path.join(dir, 'hybrid.idx');
    const plainFile = path.join(dir, 'plain.idx');
    const size = await engine.save(file);
    const plain = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example' });
    await plain.index(DOCS);
    const plainSize = await plain.save(plainFile);
    // int8 vectors plus a scale: dims + 4 bytes a section.
    expect(size - plainSize).toBeGreaterThanOrEqual(sections * (128 + 4));
    expect(size - plainSize).toBeLessThan(sections * (128 + 4) + 64);

    // Without the option, the same file answers exactly as a lexical-only one.
    const lexical = EmbeddedEngine.load(file);
    const reference = EmbeddedEngine.load(plainFile);
    for (const q of ['函数计费', '存储桶 名称 限制']) expect(await lexical.search(q)).toEqual(await reference.search(q));
    await reference.close();

    const hybrid = EmbeddedEngine.load(file, { embeddings: endpoint() });
    const requests = fake.requests;
    const hits = await hybrid.search('星河函数是怎么计费的呢', { limit: 3 });
    expect(fake.requests - requests).toBe(1);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.path).toBe('函数/计费说明.md');
    // A query with no word the index knows still finds pages through its vector.
    expect(lexical.searchSync('嗯嗯啊')).toEqual([]);
    expect((await hybrid.search('计费说明的内容')).length).toBeGreaterThan(0);
    const strict = EmbeddedEngine.load(file, { embeddings: endpoint(), fusion: { minSimilarity: 0.99 } });
    expect(await strict.search('嗯嗯啊')).toEqual([]);
    expect((await strict.search('函数计费')).map((h) => h.path)).toEqual((await lexical.search('函数计费')).map((h) => h.path));
    await strict.close();
    // The vectors survive a re-save by an engine that never read them.
    const resaved = path.join(dir, 'resaved.idx');
    expect(await lexical.save(resaved)).toBe(size);
    await lexical.close();

    // A model other than the vectors' is refused at load.
    expect(() => EmbeddedEngine.load(file, { embeddings: endpoint('fake-2') })).toThrow(/made with fake-1/);

    // New pages get vectors on the next embed(); removed ones are never returned.
    await hybrid.index([{ path: '新/页面.md', content: '# 新页面\n\n星河函数的新功能说明。' }]);
    expect(await hybrid.embed()).toBeGreaterThan(0);
    await hybrid.remove(['函数/计费说明.md']);
    const after = await hybrid.search('星河函数是怎么计费的呢', { limit: 10 });
    expect(after.map((h) => h.path)).not.toContain('函数/计费说明.md');
    await hybrid.close();
  });

  it('embed() without the option says what to set', async () => {
    const engine = new EmbeddedEngine(undefined, {});
    await engine.index(DOCS);
    await expect(engine.embed()).rejects.toThrow(/embeddings option/);
  });
});
