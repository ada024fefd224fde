import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonPath, remoteSnippet, RemoteSearch } from '../../src/search/backends/remote.js';
import { SearchError } from '../../src/search/errors.js';
import { openKnowledgeBase } from '../../src/search/open.js';

interface Seen {
  url: string;
  method: string;
  body: string;
  auth: string | undefined;
}

describe('remote search adapter', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', method: req.method ?? '', body, auth: req.headers.authorization });
        const u = new URL(req.url ?? '/', 'http://x');
        if (u.pathname === '/fail') return void res.writeHead(503).end('busy');
        if (u.pathname === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
        const q = u.searchParams.get('q') ?? (JSON.parse(body || '{}') as { query?: string }).query ?? '';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            data: {
              total: 2,
              items: [
                {
                  doc: { title: '函数<em>计费</em>说明', link: 'https://wiki.example.com/a' },
                  hl: ['按量<em>计费</em>，每月结算', '免费额度'],
                  score: 7.5,
                },
                { doc: { title: 'Logs', link: 'https://wiki.example.com/b' }, hl: [`查看 ${q} 相关的日志`], score: 3 },
              ],
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const paths = { hits: '$.data.items', title: 'doc.title', link: 'doc.link', snippet: 'hl', score: 'score' };

  it('fills the URL template and maps hits by JSON paths', async () => {
    const remote = new RemoteSearch({ url: `${base}/search?q={query}&size={limit}`, ...paths, headers: { authorization: 'Bearer t0k' } });
    const hits = await remote.search('函数 计费', { limit: 2 });
    const last = seen[seen.length - 1]!;
    expect(last.url).toBe(`/search?q=${encodeURIComponent('函数 计费')}&size=2`);
    expect(last.auth).toBe('Bearer t0k');
    expect(hits).toHaveLength(2);
    expect(hits[0]).toMatchObject({ title: '函数计费说明', url: 'https://wiki.example.com/a', score: 7.5 });
    // The API's own <em> marks become highlight ranges.
    expect(hits[0]!.snippet).toBe('按量计费，每月结算 … 免费额度');
    expect(hits[0]!.highlights.map(([a, b]) => hits[0]!.snippet.slice(a, b))).toEqual(['计费']);
    // Without marks, the query words are highlighted.
    expect(hits[1]!.highlights.map(([a, b]) => hits[1]!.snippet.slice(a, b))).toEqual(['函数', '计费']);
  });

  it('posts a JSON body template with the query escaped', async () => {
    const remote = new RemoteSearch({ url: `${base}/search`, body: '{"query":"{query}","size":{limit}}', ...paths });
    await remote.search('say "hi"', { limit: 1 });
    const last = seen[seen.length - 1]!;
    expect(last.method).toBe('POST');
    expect(JSON.parse(last.body)).toEqual({ query: 'say "hi"', size: 1 });
  });

  it('reports HTTP errors, non-JSON answers and wrong paths without leaking query strings', async () => {
    const fail = new RemoteSearch({ url: `${base}/fail?key=SECRET123&q={query}`, ...paths });
    const err = await fail.search('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect((err as SearchError).code).toBe('kb_remote');
    expect((err as SearchError).message).toContain('HTTP 503');
    expect((err as SearchError).message).not.toContain('SECRET123');
    await expect(new RemoteSearch({ url: `${base}/html`, ...paths }).search('x')).rejects.toMatchObject({ code: 'kb_remote' });
    await expect(new RemoteSearch({ url: `${base}/s?q={query}`, ...paths, hits: 'data.nothing' }).search('x')).rejects.toThrow(
      /no array at "data.nothing"/,
    );
  });

  it('opens through openKnowledgeBase', async () => {
    const kb = await openKnowledgeBase({ remote: { url: `${base}/search?q={query}`, ...paths } });
    expect((await kb.search('日志', { limit: 1 })).map((h) => h.url)).toEqual(['https://wiki.example.com/a']);
    await kb.close();
    await expect(openKnowledgeBase('https://wiki.example.com/search?q={query}')).rejects.toMatchObject({ code: 'kb_spec' });
  });
});

describe('remote helpers', () => {
  it('reads dotted JSON paths with indices', () => {
    const v = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(jsonPath(v, 'a.b[1].c')).toBe(2);
    expect(jsonPath(v, '$.a.b[0]')).toEqual({ c: 1 });
    expect(jsonPath(v, 'a.x.y')).toBeUndefined();
  });

  it('turns highlight tags into ranges and strips other tags', () => {
    const s = remoteSnippet('<p>用 <mark>COS</mark> 存储 &amp; <b>分发</b></p>', 'cos');
    expect(s.text).toBe('用 COS 存储 & 分发');
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['COS', '分发']);
  });
});
