import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate, TemplateError } from '../../../src/bots/notifier/report/template.js';
import { urlReport } from '../../../src/bots/notifier/report/url-source.js';

describe('report template', () => {
  it('fills paths, repeats each blocks and keeps if blocks', () => {
    const render = compileTemplate('## {{title}}\n{{#each rows}}- {{name}}: {{stats.count}}\n{{/each}}{{#if note}}> {{note}}{{/if}}');
    expect(
      render({
        title: '日报',
        rows: [
          { name: '新增', stats: { count: 3 } },
          { name: '流失', stats: { count: 1 } },
        ],
        note: '',
      }),
    ).toBe('## 日报\n- 新增: 3\n- 流失: 1\n');
  });

  it('renders missing values as empty text', () => {
    expect(compileTemplate('[{{a.b.c}}]')({})).toBe('[]');
  });

  it('refuses unbalanced blocks at compile time', () => {
    expect(() => compileTemplate('{{#each x}} no end')).toThrow(TemplateError);
    expect(() => compileTemplate('{{/if}}')).toThrow(/closes nothing/);
  });
});

describe('URL report source', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/json')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sales: 12, top: ['A', 'B'] }));
      else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('今日无异常');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('renders a JSON body', async () => {
    const report = urlReport({ url: `${base}/json`, template: '销售 {{sales}} 单，{{#each top}}{{.}} {{/each}}' });
    expect(await report()).toBe('销售 12 单，A B ');
  });

  it('renders a text body as {{text}}', async () => {
    expect(await urlReport({ url: `${base}/text`, template: '> {{text}}' })()).toBe('> 今日无异常');
  });
});
