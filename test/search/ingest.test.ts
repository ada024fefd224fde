import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, publicUrl } from '../../src/search/ingest/document.js';
import { parseFrontMatter } from '../../src/search/ingest/front-matter.js';
import { parseHtml } from '../../src/search/ingest/html.js';
import { parseMarkdown } from '../../src/search/ingest/markdown.js';
import { createSlugger, slug } from '../../src/search/ingest/slug.js';
import { listDocuments } from '../../src/search/ingest/walk.js';
import { DOCS } from './fixtures.js';

const doc = (p: string) => DOCS.find((d) => d.path === p)!;

describe('markdown', () => {
  it('takes the title from the first # heading and splits sections with anchors', () => {
    const page = parseDocument(doc('函数/计费说明.md'));
    expect(page.title).toBe('计费说明');
    expect(page.sections.map((s) => [s.heading, s.anchor, s.path])).toEqual([
      ['计费说明', '计费说明', ['计费说明']],
      ['计费方式', '计费方式', ['计费说明', '计费方式']],
      ['欠费说明', '欠费说明', ['计费说明', '欠费说明']],
    ]);
    expect(page.sections[1]!.text).toContain('每月前 100 万次调用免费');
  });

  it('uses front matter title and url, keeps code and never reads a heading inside a code block', () => {
    const page = parseDocument(doc('函数/快速入门.md'), { baseUrl: 'https://ignored.example.com' });
    expect(page.title).toBe('五分钟上手星河函数');
    expect(page.url).toBe('https://docs.example.com/xfn/quickstart');
    expect(page.sections.map((s) => s.heading)).toEqual(['创建函数', '编写代码', '调用函数']);
    const code = page.sections[1]!.text;
    expect(code).toContain('# 入口函数');
    expect(code).toContain('def main_handler(event, context):');
    expect(code).toContain('scf_bootstrap');
    expect(page.sections[2]!.text).toContain('xfn.invokeFunction(name, payload)');
  });

  it('accepts headings without a space after the hashes and falls back to the file name', () => {
    const page = parseDocument(doc('函数/常见问题.md'));
    expect(page.title).toBe('常见问题');
    expect(page.sections[0]!.heading).toBe('如何查看函数日志？');
    expect(page.sections[0]!.anchor).toBe('如何查看函数日志');
  });

  it('strips inline markup, tables and tags but keeps link texts', () => {
    const { sections } = parseMarkdown(
      'Intro with **bold**, `code`, [a link](https://x.example/a_(b)) and ![alt text](i.png).\n\n| 参数 | 说明 |\n|---|---|\n| Key | 对象键 &amp; 路径 |\n\n<span id="s1"></span>\n## Setext is below\n\nTitle Two\n---------\nbody',
    );
    expect(sections[0]!.text).toBe('Intro with bold, code, a link and alt text.\n\n参数 说明\nKey 对象键 & 路径');
    expect(sections[1]!.anchor).toBe('s1');
    expect(sections[2]!.heading).toBe('Title Two');
    expect(sections[2]!.text).toBe('body');
  });

  it('honours {#custom-id} anchors and de-duplicates slugs', () => {
    const { sections } = parseMarkdown('## FAQ {#faq}\n## 步骤\n## 步骤\n## Hello, World!');
    expect(sections.map((s) => s.anchor)).toEqual(['faq', '步骤', '步骤-1', 'hello-world']);
    expect(sections[0]!.heading).toBe('FAQ');
  });

  it('joins lines wrapped inside CJK text, keeping every other line break', () => {
    const { sections } = parseMarkdown(
      '# 说明\n\n内容没\n变的页面直接\n  跳过。\n\n第二段 ends in English\n下一行\n- 列表一\n- 列表二\n  续行\n| 表 |\n| 格 |',
    );
    // Items and table cells stay apart (their markup is gone by then); an item's wrapped line joins it.
    expect(sections[0]!.text).toBe('内容没变的页面直接跳过。\n\n第二段 ends in English\n下一行\n列表一\n列表二续行\n表\n格');
    // A code block between two lines of text breaks the run.
    expect(parseMarkdown('段落\n```\n代码中文\n```\n续行').sections[0]!.text).toBe('段落\n代码中文\n续行');
    // The word the wrap cut in two is found again.
    const page = parseDocument({ path: 'wrap.txt', content: '按权重切\n流量' });
    expect(page.sections[0]!.text).toBe('按权重切流量');
  });
});

describe('front matter', () => {
  it('reads flat key: value pairs, quoted or not', () => {
    const fm = parseFrontMatter('---\ntitle: "A: B"\nurl: https://x.example/p # comment\ntags: [a]\n---\nbody');
    expect(fm.data).toEqual({ title: 'A: B', url: 'https://x.example/p', tags: '[a]' });
    expect(fm.body).toBe('body');
    expect(parseFrontMatter('no front matter').body).toBe('no front matter');
  });
});

describe('html and text', () => {
  it('splits HTML at h1–h6, drops scripts and uses <title> and id anchors', () => {
    const page = parseDocument(doc('网络/负载均衡.html'));
    expect(page.title).toBe('负载均衡简介');
    expect(page.sections.map((s) => [s.heading, s.anchor])).toEqual([
      ['负载均衡简介', '负载均衡简介'],
      ['健康检查', 'health'],
      ['会话保持', '会话保持'],
    ]);
    expect(page.sections[1]!.text).toBe('健康检查失败的实例不再接收 流量。');
    expect(JSON.stringify(page)).not.toContain('tracking');
  });

  it('parses HTML without <title> using the first <h1>', () => {
    expect(parseHtml('<h1>Guide</h1><p>x</p>').title).toBe('Guide');
  });

  it('indexes a text file as one section titled by its name', () => {
    const page = parseDocument(doc('notes.txt'));
    expect(page.title).toBe('notes');
    expect(page.sections).toHaveLength(1);
    expect(page.sections[0]!.anchor).toBe('');
  });
});

describe('public URLs', () => {
  it('joins base URL and encoded path, with a configurable extension', () => {
    expect(publicUrl('函数/计费 说明.md', { baseUrl: 'https://docs.example.com/kb' })).toBe(
      'https://docs.example.com/kb/%E5%87%BD%E6%95%B0/%E8%AE%A1%E8%B4%B9%20%E8%AF%B4%E6%98%8E.md',
    );
    expect(publicUrl('a/b.md', { baseUrl: 'https://d.example/', urlExtension: 'html' })).toBe('https://d.example/a/b.html');
    expect(publicUrl('a/b.md', { baseUrl: 'https://d.example/', urlExtension: 'none' })).toBe('https://d.example/a/b');
    expect(publicUrl('a/b.md', {})).toBe('');
  });
});

describe('slugs', () => {
  it('keeps CJK, drops punctuation, joins words with -', () => {
    expect(slug('如何 上传 COS 文件？')).toBe('如何-上传-cos-文件');
    const next = createSlugger();
    expect([next('A'), next('A'), next('A')]).toEqual(['a', 'a-1', 'a-2']);
  });
});

describe('folder walk', () => {
  it('lists indexable files, skipping tool folders but not other dot-folders', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'kb-walk-'));
    try {
      for (const f of ['a.md', 'b/c.html', '.NET SDK/d.md', '.git/e.md', 'node_modules/f.md', 'g.png', 'h.txt', '.hidden.md']) {
        await mkdir(path.dirname(path.join(root, f)), { recursive: true });
        await writeFile(path.join(root, f), 'x');
      }
      expect(await listDocuments(root)).toEqual(['.NET SDK/d.md', 'a.md', 'b/c.html', 'h.txt']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
